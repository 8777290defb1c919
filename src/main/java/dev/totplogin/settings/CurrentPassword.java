package dev.totplogin.settings;

import dev.totplogin.account.AccountRepository;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.Budget;
import dev.totplogin.security.AccountPrincipal;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The one check of the current password that an account action asks again where it
 * changes a credential or where mail goes (ASVS 6.2.2): a validator bound to each such
 * form ({@link Form}), one attempt from the same per-account password budget as the login
 * form, compared outside any transaction. It runs once the form's other checks have
 * passed, so a typo elsewhere costs no attempt and no hash.
 */
@Component
class CurrentPassword implements Validator {

	/** A form with the current password in its field {@code currentPassword}. */
	interface Form {

		String currentPassword();

	}

	private final AccountRepository accounts;

	private final PasswordEncoder passwordEncoder;

	private final Attempts attempts;

	CurrentPassword(AccountRepository accounts, PasswordEncoder passwordEncoder, Attempts attempts) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.attempts = attempts;
	}

	@Override
	public boolean supports(Class<?> type) {
		return Form.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		String password = ((Form) target).currentPassword();
		Authentication authentication = SecurityContextHolder.getContextHolderStrategy()
			.getContext()
			.getAuthentication();
		if (errors.hasErrors() || !StringUtils.hasLength(password)
				|| !(authentication.getPrincipal() instanceof AccountPrincipal principal)) {
			return;
		}
		long accountId = principal.accountId();
		AttemptResult attempt = this.attempts.attempt(accountId, Budget.PASSWORD, "re-authentication", () -> {
			String hash = this.accounts.findById(accountId).orElseThrow().getPasswordHash();
			return this.passwordEncoder.matches(password, hash) ? AttemptResult.Status.ACCEPTED
					: AttemptResult.Status.WRONG;
		});
		if (!attempt.accepted()) {
			errors.rejectValue("currentPassword",
					attempt.locked() ? "currentPassword.locked" : "currentPassword.wrong");
		}
	}

}
