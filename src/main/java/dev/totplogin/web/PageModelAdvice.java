package dev.totplogin.web;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

import dev.totplogin.mail.MailProperties;
import dev.totplogin.security.DurationText;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SecurityProperties;
import dev.totplogin.trustedbrowser.TrustedBrowserProperties;

import org.springframework.context.MessageSource;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What the layout of every page needs: who is fully signed in (the header's "Signed in
 * as" and Sign out), where the language switch returns to, the server's time.
 */
@ControllerAdvice
class PageModelAdvice {

	private final MailProperties mail;

	private final Clock clock;

	private final TrustedBrowserProperties trustedBrowser;

	private final SecurityProperties security;

	private final MessageSource messages;

	PageModelAdvice(MailProperties mail, Clock clock, TrustedBrowserProperties trustedBrowser,
			SecurityProperties security, MessageSource messages) {
		this.messages = messages;
		this.mail = mail;
		this.clock = clock;
		this.trustedBrowser = trustedBrowser;
		this.security = security;
	}

	/** Whether the pages offer email at all: the address field, "Forgot password?". */
	@ModelAttribute("mailEnabled")
	boolean mailEnabled() {
		return this.mail.enabled();
	}

	/**
	 * Where the language switch returns to: this page, if it was asked for with GET (a
	 * form that failed is shown at its POST address, which a GET cannot reach).
	 */
	@ModelAttribute("currentPath")
	String currentPath(HttpServletRequest request) {
		boolean page = "GET".equals(request.getMethod()) && request.getDispatcherType() == DispatcherType.REQUEST;
		return page ? request.getRequestURI().substring(request.getContextPath().length()) : "/";
	}

	/** The server's time, shown on the code pages so a person can compare their phone. */
	@ModelAttribute("serverTime")
	Instant serverTime() {
		return this.clock.instant();
	}

	/** How long a ticked browser stays trusted, for the pages that say so. */
	@ModelAttribute("trustedBrowserDays")
	long trustedBrowserDays() {
		return this.trustedBrowser.lifetime().toDays();
	}

	/**
	 * The absolute limit in words ("12 hours"): how long after a code a trusted browser
	 * still stands in for it.
	 */
	@ModelAttribute("absoluteTimeoutText")
	String absoluteTimeoutText(Locale locale) {
		return DurationText.of(this.security.absoluteTimeout(), this.messages, locale);
	}

	/** How long a code confirmed on the account page spares the next ones. */
	@ModelAttribute("freshProofMinutes")
	long freshProofMinutes() {
		return this.security.freshProof().toMinutes();
	}

	/** The username of a session that has proven both factors, else null. */
	@ModelAttribute("signedInAs")
	String signedInAs(Authentication authentication) {
		return Factors.isFullyAuthenticated(authentication) ? authentication.getName() : null;
	}

}
