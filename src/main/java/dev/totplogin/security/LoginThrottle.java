package dev.totplogin.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.totplogin.account.AccountRegistered;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Per-account brute-force limits, one counter per factor, kept in the database so that they hold across sessions
 * and application instances. After {@code threshold} consecutive failures the factor is locked for the first lock
 * time, doubling with each further lock up to the maximum; a success resets the counter and the doubling.
 */
@Service
public class LoginThrottle {

	public enum Factor {

		PASSWORD, TOTP

	}

	private final ThrottleRepository throttles;

	private final AuthenticationProperties.Lockout lockout;

	private final Clock clock;

	LoginThrottle(ThrottleRepository throttles, AuthenticationProperties properties, Clock clock) {
		this.throttles = throttles;
		this.lockout = properties.lockout();
		this.clock = clock;
	}

	@EventListener
	void onRegistered(AccountRegistered registered) {
		for (Factor factor : Factor.values()) {
			this.throttles.save(new Throttle(registered.accountId(), factor));
		}
	}

	/** When the factor's lock ends, if it is locked now. */
	public Optional<Instant> lockedUntil(long accountId, Factor factor) {
		Instant now = this.clock.instant();
		return this.throttles.findById(new Throttle.Key(accountId, factor))
			.map(Throttle::getLockedUntil)
			.filter(now::isBefore);
	}

	/**
	 * Asks for one attempt before checking a password or code. The attempt counts as a failure until
	 * {@link #recordSuccess} resets the count.
	 * @return false while the factor is locked, or while the last attempts allowed are still being checked
	 */
	public boolean tryAttempt(long accountId, Factor factor) {
		return this.throttles.reserveAttempt(accountId, factor, threshold(factor), this.clock.instant()) == 1;
	}

	/**
	 * The attempt failed: locks the factor if that was the last one allowed.
	 * @return when the lock ends, if this failure locked the factor
	 */
	public Optional<Instant> recordFailure(long accountId, Factor factor) {
		Throttle throttle = this.throttles.findById(new Throttle.Key(accountId, factor)).orElseThrow();
		int threshold = threshold(factor);
		if (throttle.getFailedAttempts() < threshold) {
			return Optional.empty();
		}
		Instant until = this.clock.instant().plus(lockDuration(throttle.getLockCount()));
		boolean locked = this.throttles.lock(accountId, factor, threshold, throttle.getLockCount(), until) == 1;
		return locked ? Optional.of(until) : Optional.empty();
	}

	/** The attempt ended without an answer (an error, or no capacity to check it): it does not count. */
	public void release(long accountId, Factor factor) {
		this.throttles.release(accountId, factor);
	}

	public void recordSuccess(long accountId, Factor factor) {
		this.throttles.reset(accountId, factor);
	}

	/** Lifts every lock of the account (operator reset). */
	public void clear(long accountId) {
		this.throttles.clear(accountId);
	}

	/** 1 min, 2, 4, 8, then the 15-minute cap (with the defaults). */
	Duration lockDuration(int previousLocks) {
		Duration duration = this.lockout.firstLock().multipliedBy(1L << Math.min(previousLocks, 20));
		return (duration.compareTo(this.lockout.maxLock()) > 0) ? this.lockout.maxLock() : duration;
	}

	private int threshold(Factor factor) {
		return (factor == Factor.PASSWORD) ? this.lockout.passwordThreshold() : this.lockout.codeThreshold();
	}

}
