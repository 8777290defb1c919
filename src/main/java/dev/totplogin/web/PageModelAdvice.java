package dev.totplogin.web;

import dev.totplogin.mail.MailProperties;
import dev.totplogin.security.Factors;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What the layout of every page needs: who is fully signed in (the header's "Signed in
 * as" and Sign out).
 */
@ControllerAdvice
class PageModelAdvice {

	private final MailProperties mail;

	PageModelAdvice(MailProperties mail) {
		this.mail = mail;
	}

	/** Whether the pages offer email at all: the address field, "Forgot password?". */
	@ModelAttribute("mailEnabled")
	boolean mailEnabled() {
		return this.mail.enabled();
	}

	/** The username of a session that has proven both factors, else null. */
	@ModelAttribute("signedInAs")
	String signedInAs(Authentication authentication) {
		return Factors.isFullyAuthenticated(authentication) ? authentication.getName() : null;
	}

}
