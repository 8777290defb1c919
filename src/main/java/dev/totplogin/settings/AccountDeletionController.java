package dev.totplogin.settings;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.SignInState;
import dev.totplogin.trustedbrowser.TrustedBrowsers;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "Delete my account" at the end of the account page: the current password
 * ({@link CurrentPassword}) and fresh proof (the step-up rule, a code in the same form or
 * one confirmed in the last minutes), then {@link AccountDeletion}; the person is signed
 * out and the sign-in page says the account was deleted.
 */
@Controller
@RequestMapping("/account")
class AccountDeletionController {

	private final AccountDeletion deletion;

	private final CurrentPassword currentPassword;

	private final SignInState signInState;

	private final TrustedBrowsers trustedBrowsers;

	AccountDeletionController(AccountDeletion deletion, CurrentPassword currentPassword, SignInState signInState,
			TrustedBrowsers trustedBrowsers) {
		this.deletion = deletion;
		this.currentPassword = currentPassword;
		this.signInState = signInState;
		this.trustedBrowsers = trustedBrowsers;
	}

	@InitBinder("deleteAccountForm")
	void bindCurrentPassword(WebDataBinder binder) {
		binder.addValidators(this.currentPassword);
	}

	@PostMapping("/delete")
	String delete(@AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute DeleteAccountForm deleteAccountForm, BindingResult result,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		if (result.hasErrors()) {
			return FailedForm.backTo("delete", "deleteAccountForm", DeleteAccountForm.empty(), result, redirect);
		}
		this.deletion.delete(principal.accountId());
		// The browser's trust went with the account; its cookie goes too.
		this.trustedBrowsers.forgetCookie(response);
		// Signed out here (the other sessions end at their next request); the message
		// travels in a new, anonymous session.
		this.signInState.end(request);
		redirect.addFlashAttribute("info", "login.accountDeleted");
		return "redirect:/login";
	}

}
