package dev.totplogin.security;

import java.util.Optional;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationFailureServiceExceptionEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;

/**
 * The password step's lockout and audit trail. Before the password of a known account is checked, one attempt is
 * taken from its budget; a locked account is refused with the same exception, message and time (one hash) as a
 * wrong password or an unknown user, so the lock reveals nothing about the account.
 */
@Component
class PasswordAttempts {

	private final LoginThrottle throttle;

	private final AccountRepository accounts;

	private final AuditLog audit;

	PasswordAttempts(LoginThrottle throttle, AccountRepository accounts, AuditLog audit) {
		this.throttle = throttle;
		this.accounts = accounts;
		this.audit = audit;
	}

	/**
	 * Runs before the password is checked (the provider's pre-authentication check). When it refuses, the provider
	 * still checks the password and ignores the result ({@code alwaysPerformAdditionalChecksOnUser}), so a locked
	 * account costs the same hash as any other attempt.
	 */
	void beforePasswordCheck(UserDetails user) {
		AccountPrincipal principal = (AccountPrincipal) user;
		if (!this.throttle.tryAttempt(principal.accountId(), LoginThrottle.Factor.PASSWORD)) {
			throw new RefusedWhileLockedException();
		}
	}

	@EventListener
	void onFailure(AuthenticationFailureBadCredentialsEvent event) {
		Optional<Account> account = this.accounts.findByUsernameKey(Account.keyOf(event.getAuthentication().getName()));
		if (account.isEmpty()) {
			this.audit.record(null, SecurityEventType.PASSWORD_FAILED, "unknown user");
			return;
		}
		long accountId = account.get().getId();
		if (event.getException() instanceof RefusedWhileLockedException) {
			this.audit.record(accountId, SecurityEventType.PASSWORD_FAILED, "refused while locked");
			return;
		}
		this.audit.record(accountId, SecurityEventType.PASSWORD_FAILED, "wrong password");
		this.throttle.recordFailure(accountId, LoginThrottle.Factor.PASSWORD)
			.ifPresent((until) -> this.audit.record(accountId, SecurityEventType.LOCKED, "password until " + until));
	}

	/** A password that could not be checked (hashing at capacity) is not a wrong one: its attempt is given back. */
	@EventListener
	void onServiceFailure(AuthenticationFailureServiceExceptionEvent event) {
		this.accounts.findByUsernameKey(Account.keyOf(event.getAuthentication().getName()))
			.ifPresent((account) -> this.throttle.release(account.getId(), LoginThrottle.Factor.PASSWORD));
	}

	@EventListener
	void onSuccess(AuthenticationSuccessEvent event) {
		if (event.getAuthentication().getPrincipal() instanceof AccountPrincipal principal) {
			this.throttle.recordSuccess(principal.accountId(), LoginThrottle.Factor.PASSWORD);
			this.audit.record(principal.accountId(), SecurityEventType.PASSWORD_OK);
		}
	}

	/** Same type, same message as a wrong password: only the audit log tells them apart. */
	static class RefusedWhileLockedException extends BadCredentialsException {

		RefusedWhileLockedException() {
			super("Bad credentials");
		}

	}

}
