package dev.totplogin.hashing;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Caps the memory-hard hashing that runs at once. Each Argon2 computation takes its
 * memory cost (19 MiB by default) and a core for tens of milliseconds, so a login flood
 * must not start them without bound: at most {@code maxConcurrent} run, at most
 * {@code maxQueued} wait (for no longer than {@code maxWait}), and the rest are refused
 * at once with {@link PasswordHashingBusyException}. Memory stays bounded and the request
 * threads stay free for every other page.
 */
public final class BoundedPasswordEncoder implements PasswordEncoder {

	private final PasswordEncoder delegate;

	private final Semaphore permits;

	private final int maxQueued;

	private final Duration maxWait;

	private final AtomicInteger queued = new AtomicInteger();

	BoundedPasswordEncoder(PasswordEncoder delegate, int maxConcurrent, int maxQueued, Duration maxWait) {
		this.delegate = delegate;
		this.permits = new Semaphore(maxConcurrent, true);
		this.maxQueued = maxQueued;
		this.maxWait = maxWait;
	}

	/** How many computations wait for a permit now. */
	int queued() {
		return this.queued.get();
	}

	@Override
	public String encode(CharSequence rawPassword) {
		return bounded(() -> this.delegate.encode(rawPassword));
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		return bounded(() -> this.delegate.matches(rawPassword, encodedPassword));
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		return this.delegate.upgradeEncoding(encodedPassword);
	}

	private <T> T bounded(Supplier<T> hashing) {
		if (!this.permits.tryAcquire()) {
			waitForPermit();
		}
		try {
			return hashing.get();
		}
		finally {
			this.permits.release();
		}
	}

	private void waitForPermit() {
		if (this.queued.incrementAndGet() > this.maxQueued) {
			this.queued.decrementAndGet();
			throw new PasswordHashingBusyException();
		}
		try {
			if (!this.permits.tryAcquire(this.maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
				throw new PasswordHashingBusyException();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PasswordHashingBusyException();
		}
		finally {
			this.queued.decrementAndGet();
		}
	}

}
