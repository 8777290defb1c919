package dev.totplogin.settings;

import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import dev.totplogin.account.Account;
import dev.totplogin.audit.ClientAddress;
import dev.totplogin.lockout.RateLimits;
import dev.totplogin.mail.EmailAddresses;
import dev.totplogin.mail.MailProperties;
import dev.totplogin.security.AccountPrincipal;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.InitBinder;
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

	private final CurrentPassword currentPassword;

	private final RateLimits rateLimits;

	private final MailProperties mail;

	AccountEmailController(EmailAddresses addresses, CurrentPassword currentPassword, RateLimits rateLimits,
			MailProperties mail) {
		this.addresses = addresses;
		this.currentPassword = currentPassword;
		this.rateLimits = rateLimits;
		this.mail = mail;
	}

	@InitBinder("changeEmailForm")
	void bindCurrentPassword(WebDataBinder binder) {
		binder.addValidators(this.currentPassword);
	}

	@PostMapping("/account/email")
	String change(@AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute ChangeEmailForm changeEmailForm, BindingResult result, HttpServletRequest request,
			RedirectAttributes redirect) {
		if (result.hasErrors()) {
			return FailedForm.backTo("email", "changeEmailForm", changeEmailForm.withoutSecrets(), result, redirect);
		}
		if (!withinChangeLimits(principal.accountId(), changeEmailForm.email())) {
			result.rejectValue("email", "account.email.tooManyChanges");
			return FailedForm.backTo("email", "changeEmailForm", changeEmailForm.withoutSecrets(), result, redirect);
		}
		this.addresses.changeRequested(principal.accountId(), changeEmailForm.email());
		return SectionMessage.info(redirect, "email", "account.email.sent");
	}

	@PostMapping("/account/email/resend")
	String resend(@AuthenticationPrincipal AccountPrincipal principal, HttpServletRequest request,
			RedirectAttributes redirect) {
		boolean allowed = this.rateLimits.tryHit("verify-ip:" + ClientAddress.keyOf(request.getRemoteAddr()),
				this.mail.requestsPerIpPerHour(), Duration.ofHours(1))
				&& this.rateLimits.tryHit("verify-resend:" + principal.accountId(), this.mail.resetsPerAddressPerHour(),
						Duration.ofHours(1))
				&& this.addresses.pending(principal.accountId()).map(this::mailToAddressAllowed).orElse(true);
		if (allowed && this.addresses.resend(principal.accountId())) {
			return SectionMessage.info(redirect, "email", "account.email.sent");
		}
		return SectionMessage.alert(redirect, "email",
				allowed ? "account.email.nothingPending" : "account.email.tooMany");
	}

	/**
	 * Changes per account, and mails per address asked for (whoever has it: the same
	 * count for a free address and for one in use, so the answer tells nothing), both
	 * counted in the database across instances.
	 */
	private boolean withinChangeLimits(long accountId, String email) {
		return this.rateLimits.tryHit("email-change:" + accountId, this.mail.emailChangesPerAccountPerHour(),
				Duration.ofHours(1)) && mailToAddressAllowed(email);
	}

	private boolean mailToAddressAllowed(String email) {
		return this.rateLimits.tryHit("email-change-mail:" + Account.emailKeyOf(email),
				this.mail.changeMailsPerAddressPerHour(), Duration.ofHours(1));
	}

}
