package dev.totplogin.lockout;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import dev.totplogin.account.AccountRegistered;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.util.Assert;

/**
 * The one attempt sequence for passwords, TOTP codes and recovery codes, with per-account
 * budgets kept in the database so that they hold across sessions and instances: take one
 * attempt from the budget <em>before</em> the check, give it back if the check ends
 * without an answer (an exception, e.g. no capacity to hash), reset the budget on
 * success, lock the factor on the last failure allowed. Locks last the first lock time,
 * doubling with each further lock up to the maximum. Every refusal and failure is in the
 * audit log.
 */
@Service
public class Attempts {

	private static final Set<AttemptResult.Status> CHECK_ANSWERS = EnumSet.of(AttemptResult.Status.ACCEPTED,
			AttemptResult.Status.WRONG, AttemptResult.Status.REPLAYED);

	private final ThrottleRepository throttles;

	private final LockoutProperties lockout;

	private final AuditLog audit;

	private final Clock clock;

	Attempts(ThrottleRepository throttles, LockoutProperties lockout, AuditLog audit, Clock clock) {
		this.throttles = throttles;
		this.lockout = lockout;
		this.audit = audit;
		this.clock = clock;
	}

	@EventListener
	void onRegistered(AccountRegistered registered) {
		for (Budget budget : Budget.values()) {
			this.throttles.save(new Throttle(registered.accountId(), budget));
		}
	}

	/**
	 * One attempt at a factor of an account.
	 * @param check the verification itself; it runs only if the budget allows, and an
	 * exception it throws gives the attempt back and propagates
	 * @param failureDetail a short fixed note for the audit log ("wrong password"), or
	 * null
	 */
	public AttemptResult attempt(long accountId, Budget budget, String failureDetail,
			Supplier<AttemptResult.Status> check) {
		return attempt(accountId, budget, check, () -> failureDetail);
	}

	/**
	 * @param failureDetail the audit log's note, asked for after a failed check (so that
	 * it can say what the check found), or giving null
	 */
	public AttemptResult attempt(long accountId, Budget budget, Supplier<AttemptResult.Status> check,
			Supplier<String> failureDetail) {
		return attempt(accountId, budget, budget.failedEvent(), check, failureDetail);
	}

	/**
	 * An attempt at a factor in another form than its usual one (a security key for the
	 * second factor), recorded as {@code failedEvent} when it fails.
	 */
	public AttemptResult attemptAs(long accountId, Budget budget, SecurityEventType failedEvent,
			Supplier<AttemptResult.Status> check) {
		return attempt(accountId, budget, failedEvent, check, () -> null);
	}

	private AttemptResult attempt(long accountId, Budget budget, SecurityEventType failedEvent,
			Supplier<AttemptResult.Status> check, Supplier<String> failureDetail) {
		if (!reserve(accountId, budget)) {
			// Not checked at all: the log says so, so that the owner's own right code
			// refused during a lock never reads as "Wrong code".
			this.audit.record(accountId, SecurityEventType.REFUSED_WHILE_LOCKED,
					refusedDetail(budget, failedEvent, (budget == Budget.SECOND_FACTOR) ? failureDetail.get() : null));
			return new AttemptResult(AttemptResult.Status.LOCKED, lockedUntil(accountId, budget).orElse(null));
		}
		AttemptResult.Status answer;
		try {
			answer = answer(check);
		}
		catch (RuntimeException ex) {
			// No answer, no failure: the attempt goes back to the budget.
			this.throttles.release(accountId, budget, this.lockout.threshold(budget));
			throw ex;
		}
		if (answer == AttemptResult.Status.ACCEPTED) {
			this.throttles.reset(accountId, budget);
			return AttemptResult.of(answer);
		}
		this.audit.record(accountId,
				(answer == AttemptResult.Status.REPLAYED) ? SecurityEventType.CODE_REPLAY_REFUSED : failedEvent,
				failureDetail.get());
		Throttle throttle = this.throttles.findById(new Throttle.Key(accountId, budget)).orElseThrow();
		Optional<Instant> locked = lock(accountId, budget, throttle);
		if (locked.isPresent()) {
			this.audit.record(accountId, SecurityEventType.LOCKED,
					budget.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " until " + locked.get());
			return new AttemptResult(AttemptResult.Status.NOW_LOCKED, locked.get());
		}
		return AttemptResult.of(answer)
			.withAttemptsLeft(Math.max(0, this.lockout.threshold(budget) - throttle.getFailedAttempts()));
	}

	/**
	 * What a refusal while locked was: the budget, and for the second factor the form
	 * tried ({@code second factor: recovery code}, {@code second factor: security key}; a
	 * code of the authenticator app says nothing more), for the audit log and the
	 * metrics.
	 */
	static String refusedDetail(Budget budget, SecurityEventType failedEvent, String form) {
		String name = budget.name().toLowerCase(Locale.ROOT).replace('_', ' ');
		if (failedEvent == SecurityEventType.SECURITY_KEY_REFUSED) {
			return name + ": security key";
		}
		return (form != null) ? name + ": " + form : name;
	}

	/** When the factor's lock ends, if it is locked now. */
	public Optional<Instant> lockedUntil(long accountId, Budget budget) {
		Instant now = this.clock.instant();
		return this.throttles.findById(new Throttle.Key(accountId, budget))
			.map(Throttle::getLockedUntil)
			.filter(now::isBefore);
	}

	/** Lifts every lock of the account (operator reset). */
	public void clear(long accountId) {
		this.throttles.clear(accountId);
	}

	/** Lifts one factor's lock and forgets its failures (an administrator's unlock). */
	public void clear(long accountId, Budget budget) {
		this.throttles.reset(accountId, budget);
	}

	private boolean reserve(long accountId, Budget budget) {
		int threshold = this.lockout.threshold(budget);
		Instant now = this.clock.instant();
		// The lock of an attempt that never reports back (a crash): the longest one, so
		// that no crash shortens a doubled lock, and no read of the lock count before
		// every attempt. A failure reported back sets the lock's real end (lock()); a
		// success clears it.
		Instant provisionalLock = now.plus(this.lockout.maxLock());
		if (this.throttles.reserveAttempt(accountId, budget, threshold, now, provisionalLock) == 1) {
			return true;
		}
		return this.throttles.restartExpiredBudget(accountId, budget, threshold, now) == 1
				&& this.throttles.reserveAttempt(accountId, budget, threshold, now, provisionalLock) == 1;
	}

	/**
	 * Locks the factor if that failure was the last one allowed; when the lock ends, if
	 * it did.
	 */
	private Optional<Instant> lock(long accountId, Budget budget, Throttle throttle) {
		int threshold = this.lockout.threshold(budget);
		if (throttle.getFailedAttempts() < threshold) {
			return Optional.empty();
		}
		Instant until = this.clock.instant().plus(this.lockout.lockDuration(throttle.getLockCount()));
		boolean locked = this.throttles.lock(accountId, budget, threshold, throttle.getLockCount(), until) == 1;
		return locked ? Optional.of(until) : Optional.empty();
	}

	/**
	 * What the check says: {@code ACCEPTED}, {@code WRONG} or {@code REPLAYED}; the other
	 * statuses are not a check's to give.
	 */
	private static AttemptResult.Status answer(Supplier<AttemptResult.Status> check) {
		AttemptResult.Status answer = check.get();
		Assert.state(CHECK_ANSWERS.contains(answer), () -> "A check answered " + answer);
		return answer;
	}

}
