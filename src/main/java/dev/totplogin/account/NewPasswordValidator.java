package dev.totplogin.account;

import java.util.function.Function;

import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The rules for a new password typed twice, for every form that sets one: the
 * {@link PasswordPolicy} (known breaches included, when enabled), then the confirmation
 * (field {@code confirmPassword}). Bound to a form once with {@code @InitBinder}; runs
 * after the form's own Bean Validation, and only on fields that passed it.
 *
 * @param <T> the form
 */
public final class NewPasswordValidator<T> implements Validator {

	private final PasswordPolicy policy;

	private final Class<T> formType;

	private final String passwordField;

	private final Function<T, String> password;

	private final Function<T, String> confirmation;

	private final Function<T, String> username;

	/**
	 * @param passwordField the name of the field with the new password
	 * @param username the account's username, which the password must not contain
	 */
	public NewPasswordValidator(PasswordPolicy policy, Class<T> formType, String passwordField,
			Function<T, String> password, Function<T, String> confirmation, Function<T, String> username) {
		this.policy = policy;
		this.formType = formType;
		this.passwordField = passwordField;
		this.password = password;
		this.confirmation = confirmation;
		this.username = username;
	}

	@Override
	public boolean supports(Class<?> type) {
		return this.formType.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		if (errors.hasFieldErrors(this.passwordField)) {
			return;
		}
		T form = this.formType.cast(target);
		String password = this.password.apply(form);
		this.policy.checkNew(password, this.username.apply(form))
			.ifPresent((violation) -> errors.rejectValue(this.passwordField, violation.messageKey(),
					violation.arguments(), null));
		if (!errors.hasFieldErrors(this.passwordField) && !errors.hasFieldErrors("confirmPassword")
				&& !password.equals(this.confirmation.apply(form))) {
			errors.rejectValue("confirmPassword", "confirmPassword.mismatch");
		}
	}

}
