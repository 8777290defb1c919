package dev.totplogin.settings;

import java.time.Clock;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import dev.totplogin.email.EmailAddresses;
import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.lockout.RateLimits;
import dev.totplogin.mail.MailProperties;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.totp.TotpService;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Controller;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The account's email address: change it (fresh proof), resend its verification
 * (throttled).
 */
@Controller
@ConditionalOnProperty(name = "app.mail.enabled", matchIfMissing = true)
class AccountEmailController {

	private final EmailAddresses addresses;

	private final PasswordConfirmation passwordConfirmation;

	private final TotpService totp;

	private final RateLimits rateLimits;

	private final MailProperties mail;

	private final AccountPage page;

	private final Clock clock;

	AccountEmailController(EmailAddresses addresses, PasswordConfirmation passwordConfirmation, TotpService totp,
			RateLimits rateLimits, MailProperties mail, AccountPage page, Clock clock) {
		this.addresses = addresses;
		this.passwordConfirmation = passwordConfirmation;
		this.totp = totp;
		this.rateLimits = rateLimits;
		this.mail = mail;
		this.page = page;
		this.clock = clock;
	}

	@PostMapping("/account/email")
	String change(@AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute ChangeEmailForm changeEmailForm, BindingResult result,
			org.springframework.ui.Model model, RedirectAttributes redirect) {
		if (result.hasErrors()) {
			return this.page.render(principal, model);
		}
		AttemptResult password = this.passwordConfirmation.confirm(principal.accountId(),
				changeEmailForm.currentPassword());
		if (!password.accepted()) {
			result.rejectValue("currentPassword",
					password.locked() ? "currentPassword.locked" : "currentPassword.wrong");
			return this.page.render(principal, model);
		}
		AttemptResult code = this.totp.verify(principal.accountId(), changeEmailForm.code());
		if (!code.accepted()) {
			AttemptMessages.rejectCode(result, "code", code, this.clock);
			return this.page.render(principal, model);
		}
		this.addresses.changeRequested(principal.accountId(), changeEmailForm.email());
		redirect.addFlashAttribute("info", "account.email.sent");
		return "redirect:/account";
	}

	@PostMapping("/account/email/resend")
	String resend(@AuthenticationPrincipal AccountPrincipal principal, HttpServletRequest request,
			RedirectAttributes redirect) {
		boolean allowed = this.rateLimits.tryHit("verify-ip:" + request.getRemoteAddr(),
				this.mail.requestsPerIpPerHour(), Duration.ofHours(1))
				&& this.rateLimits.tryHit("verify-resend:" + principal.accountId(), this.mail.resetsPerAddressPerHour(),
						Duration.ofHours(1));
		if (allowed && this.addresses.resend(principal.accountId())) {
			redirect.addFlashAttribute("info", "account.email.sent");
		}
		else {
			redirect.addFlashAttribute("alert", allowed ? "account.email.nothingPending" : "account.email.tooMany");
		}
		return "redirect:/account";
	}

}
