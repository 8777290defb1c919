package dev.totplogin.security;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;

import org.springframework.stereotype.Component;

/**
 * Wraps every check of a second factor (TOTP or recovery code) in the account's second-factor lockout and the
 * audit log: the attempt is taken from the budget before the check, a success resets it, the last failure allowed
 * locks the factor.
 */
@Component
public class SecondFactorAttempts {

	private final LoginThrottle throttle;

	private final AuditLog audit;

	SecondFactorAttempts(LoginThrottle throttle, AuditLog audit) {
		this.throttle = throttle;
		this.audit = audit;
	}

	/**
	 * @param check the verification itself: ACCEPTED, INVALID or REPLAYED
	 * @param acceptedEvent what to record when it succeeds
	 */
	public CodeCheck attempt(long accountId, Supplier<CodeCheck.Outcome> check, SecurityEventType acceptedEvent) {
		if (!this.throttle.tryAttempt(accountId, LoginThrottle.Factor.TOTP)) {
			this.audit.record(accountId, SecurityEventType.CODE_FAILED, "refused while locked");
			Instant until = this.throttle.lockedUntil(accountId, LoginThrottle.Factor.TOTP).orElse(null);
			return new CodeCheck(CodeCheck.Outcome.LOCKED, until);
		}
		CodeCheck.Outcome outcome;
		try {
			outcome = check.get();
		}
		catch (RuntimeException ex) {
			// No answer, no failure: the attempt goes back to the budget.
			this.throttle.release(accountId, LoginThrottle.Factor.TOTP);
			throw ex;
		}
		if (outcome == CodeCheck.Outcome.ACCEPTED) {
			this.throttle.recordSuccess(accountId, LoginThrottle.Factor.TOTP);
			this.audit.record(accountId, acceptedEvent);
			return CodeCheck.of(outcome);
		}
		this.audit.record(accountId, (outcome == CodeCheck.Outcome.REPLAYED) ? SecurityEventType.CODE_REPLAY_REFUSED
				: SecurityEventType.CODE_FAILED);
		Optional<Instant> locked = this.throttle.recordFailure(accountId, LoginThrottle.Factor.TOTP);
		if (locked.isPresent()) {
			this.audit.record(accountId, SecurityEventType.LOCKED, "second factor until " + locked.get());
			return new CodeCheck(CodeCheck.Outcome.NOW_LOCKED, locked.get());
		}
		return CodeCheck.of(outcome);
	}

}
