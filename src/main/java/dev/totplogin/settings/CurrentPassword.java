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
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The one check of the current password that an account action asks again where it
 * changes a credential or where mail goes (ASVS 6.2.2): a validator bound to each such
 * form ({@link Form}), one attempt from the same per-account password budget as the login
 * form, compared outside any transaction. It runs once the form's other checks have
 * passed, so a typo elsewhere costs no attempt and no hash, and before the code in the
 * same form is checked ({@link ActionForms}); once a request, whoever asks.
 */
@Component
class CurrentPassword implements Validator {

	/** A form with the current password in its field {@code currentPassword}. */
	interface Form {

		String currentPassword();

	}

	/** The outcome of this request's check: empty if accepted, else the message's key. */
	private static final String CHECKED = CurrentPassword.class.getName() + ".CHECKED";

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
		// Checked already in this request (before its code): the same answer,
		// without a second attempt or hash.
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
				&& attributes.getRequest().getAttribute(CHECKED) instanceof String outcome) {
			if (!outcome.isEmpty()) {
				errors.rejectValue("currentPassword", outcome);
			}
			return;
		}
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
		String outcome = attempt.accepted() ? ""
				: attempt.locked() ? "currentPassword.locked" : "currentPassword.wrong";
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			attributes.getRequest().setAttribute(CHECKED, outcome);
		}
		if (!outcome.isEmpty()) {
			errors.rejectValue("currentPassword", outcome);
		}
	}

}
