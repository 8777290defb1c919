package dev.totplogin.security;

import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Re-authentication with the password inside a signed-in session (ASVS 6.2.2, 7.5.1): counted against the same
 * per-account password lockout as the login form.
 */
@Component
public class PasswordConfirmation {

	private final AccountRepository accounts;

	private final PasswordEncoder passwordEncoder;

	private final LoginThrottle throttle;

	private final AuditLog audit;

	PasswordConfirmation(AccountRepository accounts, PasswordEncoder passwordEncoder, LoginThrottle throttle,
			AuditLog audit) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.throttle = throttle;
		this.audit = audit;
	}

	public CodeCheck confirm(long accountId, String password) {
		if (!this.throttle.tryAttempt(accountId, LoginThrottle.Factor.PASSWORD)) {
			return new CodeCheck(CodeCheck.Outcome.LOCKED,
					this.throttle.lockedUntil(accountId, LoginThrottle.Factor.PASSWORD).orElse(null));
		}
		String hash = this.accounts.findById(accountId).orElseThrow().getPasswordHash();
		boolean matches;
		try {
			matches = password != null && this.passwordEncoder.matches(password, hash);
		}
		catch (PasswordHashingBusyException ex) {
			this.throttle.release(accountId, LoginThrottle.Factor.PASSWORD);
			throw ex;
		}
		if (matches) {
			this.throttle.recordSuccess(accountId, LoginThrottle.Factor.PASSWORD);
			return CodeCheck.of(CodeCheck.Outcome.ACCEPTED);
		}
		this.audit.record(accountId, SecurityEventType.PASSWORD_FAILED, "re-authentication");
		return this.throttle.recordFailure(accountId, LoginThrottle.Factor.PASSWORD)
			.map((until) -> new CodeCheck(CodeCheck.Outcome.NOW_LOCKED, until))
			.orElse(CodeCheck.of(CodeCheck.Outcome.INVALID));
	}

}
