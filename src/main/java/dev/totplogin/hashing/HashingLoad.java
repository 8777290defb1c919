package dev.totplogin.hashing;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The places of {@link BoundedPasswordEncoder} and what it refused, readable from outside
 * (the metrics): a bean of its own, because tests wrap the password encoder bean.
 */
public final class HashingLoad {

	private final int maxConcurrent;

	private final int maxQueued;

	final Semaphore permits;

	final AtomicInteger queued = new AtomicInteger();

	private final AtomicLong busyChecks = new AtomicLong();

	private final AtomicLong busyNewHashes = new AtomicLong();

	HashingLoad(int maxConcurrent, int maxQueued) {
		this.maxConcurrent = maxConcurrent;
		this.maxQueued = maxQueued;
		this.permits = new Semaphore(maxConcurrent, true);
	}

	/** How many hashes may run at once. */
	public int maxConcurrent() {
		return this.maxConcurrent;
	}

	/** How many hashes may wait for a turn. */
	public int maxQueued() {
		return this.maxQueued;
	}

	/** Hashes running now. */
	public int inUse() {
		return this.maxConcurrent - this.permits.availablePermits();
	}

	/** Hashes waiting for a turn now. */
	public int queued() {
		return this.queued.get();
	}

	/** Password checks answered "busy" since start: sign-ins and re-authentications. */
	public long busyChecks() {
		return this.busyChecks.get();
	}

	/** New hashes (sign-ups, new passwords) answered "busy" since start. */
	public long busyNewHashes() {
		return this.busyNewHashes.get();
	}

	void refusedCheck() {
		this.busyChecks.incrementAndGet();
	}

	void refusedNewHash() {
		this.busyNewHashes.incrementAndGet();
	}

}
