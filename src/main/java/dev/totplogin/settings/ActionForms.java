package dev.totplogin.settings;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Validator;

import dev.totplogin.account.NewPasswordValidator;
import dev.totplogin.account.PasswordPolicy;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.validation.BindingResult;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * The form of an account action as its request sent it, checked in the order the action
 * has always checked it: the form's own checks (with the new password's rules), then the
 * current password where the form asks for it, and only then (by
 * {@link StepUpConfigurer}) the code. Checked once a request and kept for it, so the
 * step-up filter, its entry point and the controller all see the same answer, and an
 * attempt is never counted twice.
 */
@Component
class ActionForms {

	private static final String CHECKED = ActionForms.class.getName() + ".CHECKED";

	private final SpringValidatorAdapter validator;

	private final CurrentPassword currentPassword;

	private final NewPasswordValidator<ChangePasswordForm> newPassword;

	ActionForms(Validator validator, CurrentPassword currentPassword, PasswordPolicy passwordPolicy) {
		this.validator = new SpringValidatorAdapter(validator);
		this.currentPassword = currentPassword;
		this.newPassword = new NewPasswordValidator<>(passwordPolicy, ChangePasswordForm.class, "newPassword",
				ChangePasswordForm::newPassword, ChangePasswordForm::confirmPassword,
				(form) -> SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication().getName());
	}

	/**
	 * The checked form of this request's account action, if it is one, with a code to
	 * check next: the current password is checked too.
	 */
	Optional<BindingResult> checked(HttpServletRequest request) {
		if (request.getAttribute(CHECKED) instanceof BindingResult checked) {
			return Optional.of(checked);
		}
		Optional<BindingResult> result = AccountAction.of(request).map((action) -> {
			BindingResult bound = bound(action, request);
			if (!bound.hasErrors() && this.currentPassword.supports(action.formType())) {
				this.currentPassword.validate(bound.getTarget(), bound);
			}
			return bound;
		});
		result.ifPresent((checked) -> request.setAttribute(CHECKED, checked));
		return result;
	}

	/**
	 * The form as checked so far in this request; if it was not (no code was typed), its
	 * own checks only: without a code and without fresh proof the action is refused
	 * anyway, so the current password is neither checked nor counted, as before.
	 */
	BindingResult checkedSoFar(AccountAction action, HttpServletRequest request) {
		return (request.getAttribute(CHECKED) instanceof BindingResult checked) ? checked : bound(action, request);
	}

	private BindingResult bound(AccountAction action, HttpServletRequest request) {
		BindingResult bound = action.bind(request, this.validator);
		if (action == AccountAction.CHANGE_PASSWORD) {
			this.newPassword.validate(bound.getTarget(), bound);
		}
		return bound;
	}

}
