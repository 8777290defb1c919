package dev.totplogin.signin;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.security.SignInState;
import dev.totplogin.security.SignedInSessions;
import dev.totplogin.trustedbrowser.TrustedBrowsers;

import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Where a second-factor attempt leads, for the pages that take one (TOTP code, recovery
 * code).
 */
@Component
class CodeStep {

	private final SignInState signInState;

	private final RequestCache requestCache;

	private final SignedInSessions sessions;

	private final TrustedBrowsers trustedBrowsers;

	CodeStep(SignInState signInState, RequestCache requestCache, SignedInSessions sessions,
			TrustedBrowsers trustedBrowsers) {
		this.signInState = signInState;
		this.requestCache = requestCache;
		this.sessions = sessions;
		this.trustedBrowsers = trustedBrowsers;
	}

	/**
	 * Signed in: on to the page first asked for. The last attempt the lockout allowed:
	 * this login ends and the person starts again at /login. Otherwise nothing (the form
	 * is shown again with its message).
	 * @return the view to go to, if the attempt ends the code step
	 */
	Optional<String> after(AttemptResult attempt, HttpServletRequest request, HttpServletResponse response,
			RedirectAttributes redirect) {
		if (attempt.accepted()) {
			this.signInState.secondFactorProven(request, response);
			return Optional.of("redirect:" + targetAfterSignIn(request, response));
		}
		if (attempt.status() == AttemptResult.Status.NOW_LOCKED) {
			this.signInState.end(request);
			redirect.addFlashAttribute("alert", "login.codeLocked");
			return Optional.of("redirect:/login");
		}
		return Optional.empty();
	}

	/** The browser stands in for the code. */
	void signedInOnTrustedBrowser(String trustedBrowserId, HttpServletRequest request, HttpServletResponse response) {
		this.signInState.trustedBrowserProven(request, response);
		this.sessions.onTrustedBrowser(trustedBrowserId);
	}

	/** Just signed in with a code, the box ticked: this browser becomes trusted. */
	void trustThisBrowser(long accountId, HttpServletRequest request, HttpServletResponse response) {
		this.sessions.onTrustedBrowser(this.trustedBrowsers.remember(accountId, request, response));
	}

	/**
	 * The page first asked for before the login, else home. Only its path and query are
	 * kept, so the redirect stays on this application whatever host the saved request was
	 * made with.
	 */
	String targetAfterSignIn(HttpServletRequest request, HttpServletResponse response) {
		SavedRequest saved = this.requestCache.getRequest(request, response);
		if (saved == null) {
			return "/";
		}
		this.requestCache.removeRequest(request, response);
		return SavedPath.of(saved.getRedirectUrl(), request.getContextPath());
	}

}
