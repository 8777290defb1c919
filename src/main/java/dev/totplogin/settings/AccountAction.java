package dev.totplogin.settings;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.ResolvableType;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.validation.BindingResult;
import org.springframework.validation.Validator;
import org.springframework.web.bind.ServletRequestDataBinder;

/**
 * The account actions whose form carries a {@code code} field (a code in the same request
 * is fresh proof), with where each shows a refusal: its section of the account page and
 * its form, kept without its secrets.
 */
enum AccountAction {

	CONFIRM("/account/confirm", "confirm", "confirmForm", ConfirmForm.class, "code.required",
			(request) -> ConfirmForm.empty()),

	CHANGE_PASSWORD("/account/password", "password", "changePasswordForm", ChangePasswordForm.class, "code.required",
			(request) -> ChangePasswordForm.empty().withEndOtherSessions(request.getParameter("endOtherSessions"))),

	NEW_RECOVERY_CODES("/account/recovery-codes", "recovery-codes", "recoveryCodesForm", ConfirmForm.class,
			"code.required", (request) -> ConfirmForm.empty()),

	/** The old phone may be gone: a recovery code will do here, for this request only. */
	NEW_PHONE("/account/authenticator", "new-phone", "newPhoneForm", NewPhoneForm.class, "codeOrRecovery.required",
			(request) -> NewPhoneForm.empty()),

	SIGN_OUT_ELSEWHERE("/account/sessions", "sessions", "sessionsForm", ConfirmForm.class, "code.required",
			(request) -> ConfirmForm.empty()),

	CHANGE_EMAIL("/account/email", "email", "changeEmailForm", ChangeEmailForm.class, "code.required",
			(request) -> new ChangeEmailForm("", "", request.getParameter("email")).withoutSecrets()),

	DELETE_ACCOUNT("/account/delete", "delete", "deleteAccountForm", DeleteAccountForm.class, "code.required",
			(request) -> DeleteAccountForm.empty());

	private final RequestMatcher matcher;

	private final String section;

	private final String formName;

	private final Class<?> formType;

	private final String codeRequired;

	private final Function<HttpServletRequest, Object> keptForm;

	AccountAction(String path, String section, String formName, Class<?> formType, String codeRequired,
			Function<HttpServletRequest, Object> keptForm) {
		this.formType = formType;
		this.matcher = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, path);
		this.section = section;
		this.formName = formName;
		this.codeRequired = codeRequired;
		this.keptForm = keptForm;
	}

	static Optional<AccountAction> of(HttpServletRequest request) {
		return Arrays.stream(values()).filter((action) -> action.matcher.matches(request)).findFirst();
	}

	Class<?> formType() {
		return this.formType;
	}

	RequestMatcher matcher() {
		return this.matcher;
	}

	String section() {
		return this.section;
	}

	String formName() {
		return this.formName;
	}

	/** The message for an empty code field when the session has no fresh proof. */
	String codeRequired() {
		return this.codeRequired;
	}

	Object keptForm(HttpServletRequest request) {
		return this.keptForm.apply(request);
	}

	/**
	 * The form as this request sent it, with its own checks (Bean Validation; not the
	 * current password's, which costs an attempt and is the action's own): a form that
	 * fails them has its code neither checked nor counted, as a typo never is.
	 */
	BindingResult bind(HttpServletRequest request, Validator validator) {
		ServletRequestDataBinder binder = new ServletRequestDataBinder(null, this.formName);
		binder.setTargetType(ResolvableType.forClass(this.formType));
		binder.construct(request);
		binder.setValidator(validator);
		binder.validate();
		return binder.getBindingResult();
	}

}
