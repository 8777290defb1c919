package dev.totplogin.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.totplogin.session.ThriftySessionRepository.ThriftySession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

class ThriftySessionRepositoryTests {

	private final CountingStore store = new CountingStore();

	private final ThriftySessionRepository<MapSession> repository = new ThriftySessionRepository<>(this.store);

	@AfterEach
	void closeScope() {
		ThriftySessionRepository.RequestScope.close();
	}

	@Test
	void setLastAccessedTimeWhenTheStoredOneIsUnderAMinuteOldThenTheSessionIsNotChanged() {
		String id = saved(Instant.parse("2026-12-07T10:00:00Z"));
		ThriftySession<MapSession> session = this.repository.findById(id);

		session.setLastAccessedTime(Instant.parse("2026-12-07T10:00:59Z"));

		assertThat(session.getLastAccessedTime()).isEqualTo(Instant.parse("2026-12-07T10:00:00Z"));
	}

	@Test
	void setLastAccessedTimeWhenTheStoredOneIsAMinuteOldThenTheSessionIsChanged() {
		String id = saved(Instant.parse("2026-12-07T10:00:00Z"));
		ThriftySession<MapSession> session = this.repository.findById(id);

		session.setLastAccessedTime(Instant.parse("2026-12-07T10:01:00Z"));
		this.repository.save(session);

		assertThat(this.store.findById(id).getLastAccessedTime()).isEqualTo(Instant.parse("2026-12-07T10:01:00Z"));
	}

	@Test
	void setLastAccessedTimeWhenTheSessionIsNewThenItIsSet() {
		ThriftySession<MapSession> session = this.repository.createSession();
		Instant later = session.getLastAccessedTime().plusSeconds(5);

		session.setLastAccessedTime(later);

		assertThat(session.getLastAccessedTime()).isEqualTo(later);
	}

	@Test
	void findByIdWhenReadBeforeInTheSameRequestThenTheStoreIsReadOnce() {
		String id = saved(Instant.now());
		ThriftySessionRepository.RequestScope.open();

		ThriftySession<MapSession> first = this.repository.findById(id);
		this.repository.save(first);
		ThriftySession<MapSession> again = this.repository.findById(id);

		assertThat(again).isSameAs(first);
		assertThat(this.store.reads).isEqualTo(1);
	}

	@Test
	void findByIdWhenOutsideARequestThenTheStoreIsReadEachTime() {
		String id = saved(Instant.now());

		this.repository.findById(id);
		this.repository.findById(id);

		assertThat(this.store.reads).isEqualTo(2);
	}

	@Test
	void findByIdWhenTheNextRequestAsksThenTheStoreIsReadAgain() {
		String id = saved(Instant.now());
		ThriftySessionRepository.RequestScope.open();
		this.repository.findById(id);
		ThriftySessionRepository.RequestScope.close();
		ThriftySessionRepository.RequestScope.open();

		this.repository.findById(id);

		assertThat(this.store.reads).isEqualTo(2);
	}

	@Test
	void findByIdWhenTheIdChangedAndWasSavedThenTheOldIdIsNotFoundAndTheNewOneIs() {
		String id = saved(Instant.now());
		ThriftySessionRepository.RequestScope.open();
		ThriftySession<MapSession> session = this.repository.findById(id);

		String newId = session.changeSessionId();
		this.repository.save(session);

		assertThat(this.repository.findById(id)).isNull();
		assertThat(this.repository.findById(newId)).isSameAs(session);
		assertThat(this.store.reads).isEqualTo(1);
	}

	@Test
	void findByIdWhenDeletedInThisRequestThenNotFound() {
		String id = saved(Instant.now());
		ThriftySessionRepository.RequestScope.open();
		this.repository.findById(id);

		this.repository.deleteById(id);

		assertThat(this.repository.findById(id)).isNull();
		assertThat(this.store.findById(id)).isNull();
	}

	@Test
	void findByIdWhenTheSessionChangedItsIdAndWasDeletedByItThenNotFoundUnderEitherIdInTheStoreOrTheRequest() {
		String id = saved(Instant.now());
		ThriftySessionRepository.RequestScope.open();
		ThriftySession<MapSession> session = this.repository.findById(id);
		String newId = session.changeSessionId();

		this.repository.deleteById(newId);

		assertThat(this.repository.findById(id)).isNull();
		assertThat(this.repository.findById(newId)).isNull();
		assertThat(this.store.findById(id)).isNull();
	}

	private String saved(Instant lastAccessed) {
		MapSession session = this.store.createSession();
		session.setLastAccessedTime(lastAccessed);
		session.setMaxInactiveInterval(Duration.ofDays(3650));
		this.store.save(session);
		this.store.reads = 0;
		return session.getId();
	}

	/**
	 * A store that counts its reads (and copies on read, as a real store returns a new
	 * object).
	 */
	private static final class CountingStore implements FindByIndexNameSessionRepository<MapSession> {

		private final MapSessionRepository map = new MapSessionRepository(new java.util.HashMap<>());

		int reads;

		@Override
		public MapSession createSession() {
			return this.map.createSession();
		}

		@Override
		public void save(MapSession session) {
			this.map.save(session);
		}

		@Override
		public MapSession findById(String id) {
			this.reads++;
			return this.map.findById(id);
		}

		@Override
		public void deleteById(String id) {
			this.map.deleteById(id);
		}

		@Override
		public Map<String, MapSession> findByIndexNameAndIndexValue(String indexName, String indexValue) {
			return Map.of();
		}

	}

}
