package dev.totplogin.hashing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.totplogin.audit.ClientAddress;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Caps the memory-hard hashing that runs at once. Each Argon2 computation takes its
 * memory cost (19 MiB by default) and a core for tens of milliseconds, so a login flood
 * must not start them without bound: at most {@code maxConcurrent} run, at most
 * {@code maxQueued} wait (for no longer than {@code maxWait}), and the rest are refused
 * at once with {@link PasswordHashingBusyException}. Memory stays bounded and the request
 * threads stay free for every other page.
 * <p>
 * One client (its {@link ClientAddress}) holds at most {@code maxPerClient} of those
 * places, running or waiting: a single address flooding the password forms gets "busy"
 * itself and leaves the rest of the places to everybody else. New hashes (sign-ups, new
 * passwords) hold at most {@code maxNewHashes} of them (by default one per core): a flood
 * of sign-ups from many addresses never queues ahead of the people signing in by more
 * than that.
 * <p>
 * A hash never runs while the thread holds a database connection: a request waiting here
 * (up to {@code maxWait}) and then hashing would keep one of the pool's few connections
 * from every other request, and a burst of sign-ups would take them all. So hashing
 * inside a transaction is refused outright, a programming error that every test path
 * finds: hash first, then open the transaction.
 */
public final class BoundedPasswordEncoder implements PasswordEncoder {

	private final PasswordEncoder delegate;

	private final HashingLoad load;

	private final Semaphore permits;

	private final int maxQueued;

	private final Duration maxWait;

	private final int maxPerClient;

	private final int maxNewHashes;

	private final AtomicInteger newHashes = new AtomicInteger();

	private final AtomicInteger queued;

	/** Places (running or waiting) held per client; an entry goes when it drops to 0. */
	private final Map<String, Integer> perClient = new ConcurrentHashMap<>();

	BoundedPasswordEncoder(PasswordEncoder delegate, int maxConcurrent, int maxQueued, Duration maxWait,
			int maxPerClient, int maxNewHashes) {
		this(delegate, new HashingLoad(maxConcurrent, maxQueued), maxWait, maxPerClient, maxNewHashes);
	}

	BoundedPasswordEncoder(PasswordEncoder delegate, HashingLoad load, Duration maxWait, int maxPerClient,
			int maxNewHashes) {
		this.delegate = delegate;
		this.load = load;
		this.permits = load.permits;
		this.queued = load.queued;
		this.maxQueued = load.maxQueued();
		this.maxWait = maxWait;
		this.maxPerClient = maxPerClient;
		this.maxNewHashes = maxNewHashes;
	}

	/** How many computations wait for a permit now. */
	int queued() {
		return this.queued.get();
	}

	@Override
	public String encode(CharSequence rawPassword) {
		if (this.newHashes.incrementAndGet() > this.maxNewHashes) {
			this.newHashes.decrementAndGet();
			this.load.refusedNewHash();
			throw new PasswordHashingBusyException();
		}
		try {
			return bounded(() -> this.delegate.encode(rawPassword));
		}
		catch (PasswordHashingBusyException ex) {
			this.load.refusedNewHash();
			throw ex;
		}
		finally {
			this.newHashes.decrementAndGet();
		}
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		try {
			return bounded(() -> this.delegate.matches(rawPassword, encodedPassword));
		}
		catch (PasswordHashingBusyException ex) {
			this.load.refusedCheck();
			throw ex;
		}
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		return this.delegate.upgradeEncoding(encodedPassword);
	}

	private <T> T bounded(Supplier<T> hashing) {
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException(
					"A password hash inside a database transaction: hash first, then open the transaction");
		}
		String client = ClientAddress.current().orElse(null);
		if (client != null) {
			enter(client);
		}
		try {
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
		finally {
			if (client != null) {
				leave(client);
			}
		}
	}

	private void enter(String client) {
		boolean[] entered = new boolean[1];
		this.perClient.compute(client, (key, held) -> {
			int now = (held != null) ? held : 0;
			if (now >= this.maxPerClient) {
				return held;
			}
			entered[0] = true;
			return now + 1;
		});
		if (!entered[0]) {
			throw new PasswordHashingBusyException();
		}
	}

	private void leave(String client) {
		this.perClient.computeIfPresent(client, (key, held) -> (held > 1) ? held - 1 : null);
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
