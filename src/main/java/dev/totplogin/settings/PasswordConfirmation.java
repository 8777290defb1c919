package dev.totplogin.settings;

import dev.totplogin.account.AccountRepository;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.Budget;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Re-authentication with the password inside a signed-in session (ASVS 6.2.2, 7.5.1): one
 * attempt from the same per-account password budget as the login form.
 */
@Component
class PasswordConfirmation {

	private final AccountRepository accounts;

	private final PasswordEncoder passwordEncoder;

	private final Attempts attempts;

	PasswordConfirmation(AccountRepository accounts, PasswordEncoder passwordEncoder, Attempts attempts) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.attempts = attempts;
	}

	AttemptResult confirm(long accountId, String password) {
		return this.attempts.attempt(accountId, Budget.PASSWORD, "re-authentication", () -> {
			String hash = this.accounts.findById(accountId).orElseThrow().getPasswordHash();
			return (password != null && this.passwordEncoder.matches(password, hash)) ? AttemptResult.Status.ACCEPTED
					: AttemptResult.Status.WRONG;
		});
	}

}
