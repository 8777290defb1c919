package dev.totplogin.settings;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import dev.totplogin.account.AccountService;
import dev.totplogin.account.HashedPassword;
import dev.totplogin.account.NewPasswordValidator;
import dev.totplogin.account.PasswordPolicy;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.recovery.IssuedRecoveryCodes;
import dev.totplogin.recovery.RecoveryCodes;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.SignInState;
import dev.totplogin.totp.AuthenticatorSetup;
import dev.totplogin.totp.SetupSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The account security page: status, recent security events, and the four actions a
 * person needs when something changes. Each action needs fresh proof (ASVS 7.5.1), which
 * the filter chain's step-up rule asks for before the action is reached (a code in the
 * same form, or one confirmed in the last minutes), and the password where it changes a
 * credential ({@link CurrentPassword}); the session cookie alone does nothing here.
 */
@Controller
@RequestMapping("/account")
class AccountSecurityController {

	private final AccountService accountService;

	private final PasswordPolicy passwordPolicy;

	private final CurrentPassword currentPassword;

	private final AuthenticatorSetup setup;

	private final RecoveryCodes recoveryCodes;

	private final IssuedRecoveryCodes issuedRecoveryCodes;

	private final AuditLog audit;

	private final SignInState signInState;

	private final AccountPage page;

	private final TransactionTemplate transaction;

	AccountSecurityController(AccountService accountService, PasswordPolicy passwordPolicy,
			CurrentPassword currentPassword, AuthenticatorSetup setup, RecoveryCodes recoveryCodes, AuditLog audit,
			SignInState signInState, AccountPage page, TransactionTemplate transaction,
			IssuedRecoveryCodes issuedRecoveryCodes) {
		this.accountService = accountService;
		this.passwordPolicy = passwordPolicy;
		this.currentPassword = currentPassword;
		this.setup = setup;
		this.recoveryCodes = recoveryCodes;
		this.issuedRecoveryCodes = issuedRecoveryCodes;
		this.audit = audit;
		this.signInState = signInState;
		this.page = page;
		this.transaction = transaction;
	}

	/** The new password must not contain the signed-in account's username. */
	@InitBinder("changePasswordForm")
	void bindPasswordRules(WebDataBinder binder, Authentication authentication) {
		binder.addValidators(new NewPasswordValidator<>(this.passwordPolicy, ChangePasswordForm.class, "newPassword",
				ChangePasswordForm::newPassword, ChangePasswordForm::confirmPassword,
				(form) -> authentication.getName()), this.currentPassword);
	}

	@InitBinder("newPhoneForm")
	void bindCurrentPassword(WebDataBinder binder) {
		binder.addValidators(this.currentPassword);
	}

	@GetMapping
	String page(@AuthenticationPrincipal AccountPrincipal principal, Model model, HttpServletRequest request) {
		return this.page.render(principal, model, request);
	}

	@PostMapping("/password")
	String changePassword(@AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute ChangePasswordForm changePasswordForm, BindingResult result,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		if (result.hasErrors()) {
			return FailedForm.backTo("password", "changePasswordForm", changePasswordForm.withoutSecrets(), result,
					redirect);
		}
		// The change, its audit event and the notification it sends: one transaction,
		// opened once the new password is hashed.
		HashedPassword newPassword = this.accountService.hash(changePasswordForm.newPassword());
		this.transaction.executeWithoutResult((status) -> {
			this.accountService.changePassword(principal.accountId(), newPassword);
			this.audit.record(principal.accountId(), SecurityEventType.PASSWORD_CHANGED);
		});
		if (changePasswordForm.shouldEndOtherSessions()) {
			endOtherSessions(principal, request, response);
		}
		return SectionMessage.info(redirect, "password", "account.passwordChanged");
	}

	@PostMapping("/recovery-codes")
	String regenerateRecoveryCodes(@AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute("recoveryCodesForm") ConfirmForm form, BindingResult result,
			HttpServletRequest request, RedirectAttributes redirect) {
		if (result.hasErrors()) {
			return FailedForm.backTo("recovery-codes", "recoveryCodesForm", ConfirmForm.empty(), result, redirect);
		}
		this.issuedRecoveryCodes.keep(request.getSession(), principal.accountId(),
				this.recoveryCodes.issue(principal.accountId()), "/account#recovery-codes");
		return "redirect:/recovery-codes";
	}

	@PostMapping("/authenticator")
	String moveToNewPhone(@AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute NewPhoneForm newPhoneForm, BindingResult result, HttpServletRequest request,
			RedirectAttributes redirect) {
		if (result.hasErrors()) {
			return FailedForm.backTo("new-phone", "newPhoneForm", NewPhoneForm.empty(), result, redirect);
		}
		this.setup.beginReplacement(principal.accountId(), SetupSession.tokenOf(request.getSession()));
		return "redirect:/account/authenticator";
	}

	@PostMapping("/sessions")
	String signOutEverywhereElse(@AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute("sessionsForm") ConfirmForm form, BindingResult result, HttpServletRequest request,
			HttpServletResponse response, RedirectAttributes redirect) {
		if (result.hasErrors()) {
			return FailedForm.backTo("sessions", "sessionsForm", ConfirmForm.empty(), result, redirect);
		}
		endOtherSessions(principal, request, response);
		return SectionMessage.info(redirect, "sessions", "account.otherSessionsEnded");
	}

	private void endOtherSessions(AccountPrincipal principal, HttpServletRequest request,
			HttpServletResponse response) {
		this.signInState.endOtherSessions(request, response);
		this.audit.record(principal.accountId(), SecurityEventType.OTHER_SESSIONS_ENDED);
	}

}
