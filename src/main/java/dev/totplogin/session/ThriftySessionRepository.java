package dev.totplogin.session;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

/**
 * Spring Session's repository (whichever store), writing only what changed and reading a
 * session once per request. Two differences, each the answer to an open Spring Session
 * issue:
 * <ul>
 * <li>The last-access time is written at most once per {@link #TOUCH_INTERVAL}.
 * {@code SessionRepositoryFilter} sets it on every request, and every store then writes
 * the session's row (JDBC: an {@code UPDATE} per page view) although nothing else
 * changed. A session's store lifetime is therefore up to a minute short, like the
 * signed-in row's "last active" (spring-projects/spring-session#1226 asks for this).</li>
 * <li>Within one request, a session already read (or saved, or found missing) is not read
 * again: {@code SessionRepositoryFilter} commits a session when the response is committed
 * and once more at the end, and between the two forgets the session it had read, so the
 * second commit reads it again (spring-projects/spring-session#1731, #1424).
 * {@link RequestScope} bounds that memory to one request.</li>
 * </ul>
 * Everything else, and whatever the store itself does, is the delegate's.
 *
 * @param <S> the store's session type
 */
final class ThriftySessionRepository<S extends Session>
		implements FindByIndexNameSessionRepository<ThriftySessionRepository.ThriftySession<S>> {

	/** How stale a session's stored last-access time may be. */
	static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

	private static final ThreadLocal<@Nullable Map<String, Optional<ThriftySession<?>>>> thisRequest = new ThreadLocal<>();

	private final FindByIndexNameSessionRepository<S> store;

	ThriftySessionRepository(FindByIndexNameSessionRepository<S> store) {
		this.store = store;
	}

	@Override
	public ThriftySession<S> createSession() {
		return new ThriftySession<>(this.store.createSession());
	}

	@Override
	public void save(ThriftySession<S> session) {
		this.store.save(session.stored);
		Map<String, Optional<ThriftySession<?>>> known = thisRequest.get();
		if (known != null) {
			if (session.loadedAs != null && !session.loadedAs.equals(session.getId())) {
				// Its id changed (a sign-in step): the store no longer knows the old one.
				known.put(session.loadedAs, Optional.empty());
			}
			known.put(session.getId(), Optional.of(session));
		}
		session.loadedAs = session.getId();
	}

	@Override
	@SuppressWarnings("unchecked")
	public @Nullable ThriftySession<S> findById(String id) {
		Map<String, Optional<ThriftySession<?>>> known = thisRequest.get();
		if (known != null && known.containsKey(id)) {
			return (ThriftySession<S>) known.get(id).orElse(null);
		}
		S found = this.store.findById(id);
		ThriftySession<S> session = (found != null) ? new ThriftySession<>(found, id) : null;
		if (known != null) {
			known.put(id, Optional.ofNullable(session));
		}
		return session;
	}

	/**
	 * Also forgets the session under every id this request knew it by: a session whose id
	 * changed in this request (a sign-in step) and is then invalidated is deleted by its
	 * new id, while the request's cookie still names the old one, and the store still has
	 * it under the old one until a save.
	 */
	@Override
	public void deleteById(String id) {
		this.store.deleteById(id);
		Map<String, Optional<ThriftySession<?>>> known = thisRequest.get();
		if (known != null) {
			for (Map.Entry<String, Optional<ThriftySession<?>>> entry : known.entrySet()) {
				Optional<ThriftySession<?>> cached = entry.getValue();
				if (cached.isPresent() && cached.get().getId().equals(id)) {
					String loadedAs = cached.get().loadedAs;
					if (loadedAs != null && !loadedAs.equals(id)) {
						this.store.deleteById(loadedAs);
					}
					entry.setValue(Optional.empty());
				}
			}
			known.put(id, Optional.empty());
		}
	}

	@Override
	public Map<String, ThriftySession<S>> findByIndexNameAndIndexValue(String indexName, String indexValue) {
		Map<String, ThriftySession<S>> found = new LinkedHashMap<>();
		this.store.findByIndexNameAndIndexValue(indexName, indexValue)
			.forEach((id, session) -> found.put(id, new ThriftySession<>(session, id)));
		return found;
	}

	/**
	 * Marks the bounds of one request (around {@code SessionRepositoryFilter}): only
	 * inside them does the repository remember what it has read.
	 */
	static final class RequestScope {

		private RequestScope() {
		}

		static void open() {
			thisRequest.set(new HashMap<>());
		}

		static void close() {
			thisRequest.remove();
		}

	}

	/**
	 * The store's session, whose last-access time moves only when the stored one is a
	 * {@link #TOUCH_INTERVAL} old.
	 *
	 * @param <S> the store's session type
	 */
	static final class ThriftySession<S extends Session> implements Session {

		private final S stored;

		/** The id the store knows it by, or null for a new session not saved yet. */
		private @Nullable String loadedAs;

		ThriftySession(S stored) {
			this(stored, null);
		}

		ThriftySession(S stored, @Nullable String loadedAs) {
			this.stored = stored;
			this.loadedAs = loadedAs;
		}

		@Override
		public void setLastAccessedTime(Instant lastAccessedTime) {
			if (this.loadedAs == null
					|| !lastAccessedTime.isBefore(this.stored.getLastAccessedTime().plus(TOUCH_INTERVAL))) {
				this.stored.setLastAccessedTime(lastAccessedTime);
			}
		}

		@Override
		public Instant getLastAccessedTime() {
			return this.stored.getLastAccessedTime();
		}

		@Override
		public String getId() {
			return this.stored.getId();
		}

		@Override
		public String changeSessionId() {
			return this.stored.changeSessionId();
		}

		@Override
		public <T> @Nullable T getAttribute(String attributeName) {
			return this.stored.getAttribute(attributeName);
		}

		@Override
		public Set<String> getAttributeNames() {
			return this.stored.getAttributeNames();
		}

		@Override
		public void setAttribute(String attributeName, Object attributeValue) {
			this.stored.setAttribute(attributeName, attributeValue);
		}

		@Override
		public void removeAttribute(String attributeName) {
			this.stored.removeAttribute(attributeName);
		}

		@Override
		public Instant getCreationTime() {
			return this.stored.getCreationTime();
		}

		@Override
		public void setMaxInactiveInterval(Duration interval) {
			this.stored.setMaxInactiveInterval(interval);
		}

		@Override
		public Duration getMaxInactiveInterval() {
			return this.stored.getMaxInactiveInterval();
		}

		@Override
		public boolean isExpired() {
			return this.stored.isExpired();
		}

	}

}
