package dev.totplogin.hashing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BoundedPasswordEncoderTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final CountDownLatch started = new CountDownLatch(1);

	/** A hash that takes as long as the test wants. */
	private final PasswordEncoder slow = new PasswordEncoder() {

		@Override
		public String encode(CharSequence rawPassword) {
			started.countDown();
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return "hash";
		}

		@Override
		public boolean matches(CharSequence rawPassword, String encodedPassword) {
			return encode(rawPassword).equals(encodedPassword);
		}

	};

	private final ExecutorService pool = Executors.newFixedThreadPool(4);

	@AfterEach
	void stop() {
		this.release.countDown();
		this.pool.shutdownNow();
	}

	@Test
	void hashWhenAllPermitsTakenAndQueueFullThenBusyAtOnce() throws Exception {
		// Were it to wait for a permit, it would wait until the running hash is released,
		// which only this test does.
		BoundedPasswordEncoder encoder = new BoundedPasswordEncoder(this.slow, 1, 0, Duration.ofMinutes(10),
				Integer.MAX_VALUE, Integer.MAX_VALUE);
		Future<String> running = this.pool.submit(() -> encoder.encode("a"));
		this.started.await(5, TimeUnit.SECONDS);
		Future<Boolean> refused = this.pool.submit(() -> encoder.matches("b", "hash"));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> refused.get(1, TimeUnit.MINUTES))
			.withCauseInstanceOf(PasswordHashingBusyException.class);
		assertThat(running.isDone()).as("refused while the permit was still taken").isFalse();
		this.release.countDown();
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("hash");
	}

	@Test
	void hashWhenQueuedLongerThanMaxWaitThenBusy() throws Exception {
		BoundedPasswordEncoder encoder = new BoundedPasswordEncoder(this.slow, 1, 1, Duration.ofMillis(200),
				Integer.MAX_VALUE, Integer.MAX_VALUE);
		this.pool.submit(() -> encoder.encode("a"));
		this.started.await(5, TimeUnit.SECONDS);
		long start = System.nanoTime();
		assertThatExceptionOfType(PasswordHashingBusyException.class).isThrownBy(() -> encoder.encode("b"));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
	}

	@Test
	void hashWhenQueuedAndPermitFreedInTimeThenComputed() throws Exception {
		BoundedPasswordEncoder encoder = new BoundedPasswordEncoder(this.slow, 1, 1, Duration.ofSeconds(5),
				Integer.MAX_VALUE, Integer.MAX_VALUE);
		this.pool.submit(() -> encoder.encode("a"));
		this.started.await(5, TimeUnit.SECONDS);
		Future<Boolean> queued = this.pool.submit(() -> encoder.matches("b", "hash"));
		await().atMost(Duration.ofSeconds(5)).until(() -> encoder.queued() == 1);
		assertThat(queued.isDone()).as("waits for a permit").isFalse();
		this.release.countDown();
		assertThat(queued.get(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void hashWhenOneClientHoldsItsShareThenItsNextRequestIsBusyAndAnotherClientStillWaitsItsTurn() throws Exception {
		BoundedPasswordEncoder encoder = new BoundedPasswordEncoder(this.slow, 1, 4, Duration.ofSeconds(5), 2,
				Integer.MAX_VALUE);
		Future<String> running = this.pool.submit(() -> from("2001:db8:1:2::10", () -> encoder.encode("a")));
		this.started.await(5, TimeUnit.SECONDS);
		// Another address of the same /64: the same client.
		Future<Boolean> queued = this.pool.submit(() -> from("2001:db8:1:2::99", () -> encoder.matches("b", "hash")));
		await().atMost(Duration.ofSeconds(5)).until(() -> encoder.queued() == 1);

		assertThatExceptionOfType(PasswordHashingBusyException.class)
			.isThrownBy(() -> from("2001:db8:1:2:ffff::1", () -> encoder.encode("c")));
		Future<Boolean> otherClient = this.pool.submit(() -> from("203.0.113.7", () -> encoder.matches("d", "hash")));
		await().atMost(Duration.ofSeconds(5)).until(() -> encoder.queued() == 2);
		assertThat(otherClient.isDone()).as("another client waits for its turn").isFalse();

		this.release.countDown();
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("hash");
		assertThat(queued.get(5, TimeUnit.SECONDS)).isTrue();
		assertThat(otherClient.get(5, TimeUnit.SECONDS)).isTrue();
		assertThat(from("2001:db8:1:2::10", () -> encoder.encode("e"))).as("its places are given back")
			.isEqualTo("hash");
	}

	@Test
	void newHashWhenNewHashesHoldTheirShareThenBusyAtOnceAndASignInCheckStillWaitsItsTurn() throws Exception {
		BoundedPasswordEncoder encoder = new BoundedPasswordEncoder(this.slow, 1, 4, Duration.ofSeconds(5),
				Integer.MAX_VALUE, 2);
		Future<String> running = this.pool.submit(() -> encoder.encode("a"));
		this.started.await(5, TimeUnit.SECONDS);
		Future<String> queued = this.pool.submit(() -> encoder.encode("b"));
		await().atMost(Duration.ofSeconds(5)).until(() -> encoder.queued() == 1);

		assertThatExceptionOfType(PasswordHashingBusyException.class).isThrownBy(() -> encoder.encode("c"));
		Future<Boolean> signIn = this.pool.submit(() -> encoder.matches("d", "hash"));
		await().atMost(Duration.ofSeconds(5)).until(() -> encoder.queued() == 2);
		assertThat(signIn.isDone()).as("a sign-in's check waits for its turn").isFalse();

		this.release.countDown();
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("hash");
		assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("hash");
		assertThat(signIn.get(5, TimeUnit.SECONDS)).isTrue();
		assertThat(encoder.encode("e")).as("the places are given back").isEqualTo("hash");
	}

	@Test
	void hashWhenInsideADatabaseTransactionThenRefusedBeforeWaitingOrHashing() {
		BoundedPasswordEncoder encoder = new BoundedPasswordEncoder(this.slow, 1, 1, Duration.ofSeconds(5),
				Integer.MAX_VALUE, Integer.MAX_VALUE);
		TransactionSynchronizationManager.setActualTransactionActive(true);
		try {
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> encoder.encode("a"))
				.withMessageContaining("transaction");
		}
		finally {
			TransactionSynchronizationManager.setActualTransactionActive(false);
		}
		assertThat(this.started.getCount()).as("nothing was hashed").isOne();
	}

	private static <T> T from(String address, java.util.function.Supplier<T> call) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setRemoteAddr(address);
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
		try {
			return call.get();
		}
		finally {
			RequestContextHolder.resetRequestAttributes();
		}
	}

}
