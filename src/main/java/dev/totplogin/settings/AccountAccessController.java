package dev.totplogin.settings;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.AccountSessions;
import dev.totplogin.trustedbrowser.TrustedBrowser;
import dev.totplogin.trustedbrowser.TrustedBrowsers;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Who has access, on the account page: confirm with a code once (fresh proof for the next
 * minutes), end one of the account's other sessions, forget trusted browsers. The list
 * actions carry no code field of their own: they need the fresh proof, and without it
 * send the person to the confirmation form.
 */
@Controller
@RequestMapping("/account")
class AccountAccessController {

	private final AccountSessions sessions;

	private final TrustedBrowsers trustedBrowsers;

	private final AuditLog audit;

	private final TransactionTemplate transaction;

	AccountAccessController(AccountSessions sessions, TrustedBrowsers trustedBrowsers, AuditLog audit,
			TransactionTemplate transaction) {
		this.sessions = sessions;
		this.trustedBrowsers = trustedBrowsers;
		this.audit = audit;
		this.transaction = transaction;
	}

	@PostMapping("/confirm")
	String confirm(@AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute("confirmForm") ConfirmForm form, BindingResult result, HttpServletRequest request,
			RedirectAttributes redirect) {
		// A code of the right form has been checked on the way here
		// (settings.StepUpConfigurer).
		if (!result.hasFieldErrors("code") && !StringUtils.hasText(form.code())) {
			result.rejectValue("code", "code.required");
		}
		if (result.hasErrors()) {
			return FailedForm.backTo("confirm", "confirmForm", ConfirmForm.empty(), result, redirect);
		}
		return SectionMessage.info(redirect, "confirm", "account.confirmed");
	}

	@PostMapping("/sessions/{ref}/end")
	String endSession(@AuthenticationPrincipal AccountPrincipal principal, @PathVariable String ref,
			HttpServletRequest request, RedirectAttributes redirect) {
		// The session, the trusted browser it was on, the audit event: one transaction.
		boolean ended = Boolean.TRUE.equals(this.transaction.execute((status) -> {
			Optional<AccountSessions.Ended> session = this.sessions.end(principal.accountId(), ref);
			session.map(AccountSessions.Ended::trustedBrowserId)
				.ifPresent((browser) -> this.trustedBrowsers.forgetWithItsSession(principal.accountId(), browser));
			session.ifPresent((done) -> this.audit.record(principal.accountId(), SecurityEventType.SESSION_ENDED));
			return session.isPresent();
		}));
		return ended ? SectionMessage.info(redirect, "sessions", "account.sessionEnded")
				: SectionMessage.alert(redirect, "sessions", "account.sessionGone");
	}

	@PostMapping("/trusted-browsers/{id}/forget")
	String forgetBrowser(@AuthenticationPrincipal AccountPrincipal principal, @PathVariable String id,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		boolean thisBrowser = this.trustedBrowsers.of(principal.accountId(), request)
			.stream()
			.anyMatch((browser) -> browser.id().equals(id) && browser.thisBrowser());
		if (this.trustedBrowsers.forget(principal.accountId(), id)) {
			if (thisBrowser) {
				this.trustedBrowsers.forgetCookie(response);
			}
			return SectionMessage.info(redirect, "trusted-browsers", "account.trusted.forgotten");
		}
		return SectionMessage.alert(redirect, "trusted-browsers", "account.trusted.gone");
	}

	@PostMapping("/trusted-browsers/forget-all")
	String forgetAllBrowsers(@AuthenticationPrincipal AccountPrincipal principal, HttpServletRequest request,
			HttpServletResponse response, RedirectAttributes redirect) {
		boolean thisBrowser = this.trustedBrowsers.of(principal.accountId(), request)
			.stream()
			.anyMatch(TrustedBrowser::thisBrowser);
		this.trustedBrowsers.forgetAll(principal.accountId());
		if (thisBrowser) {
			this.trustedBrowsers.forgetCookie(response);
		}
		return SectionMessage.info(redirect, "trusted-browsers", "account.trusted.allForgotten");
	}

}
