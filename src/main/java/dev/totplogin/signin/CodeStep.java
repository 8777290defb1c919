package dev.totplogin.signin;

import java.time.Clock;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.Budget;
import dev.totplogin.security.SignInState;
import dev.totplogin.security.SignedInSessions;
import dev.totplogin.trustedbrowser.TrustedBrowsers;

import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.BindingResult;
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

	private final Attempts attempts;

	private final Clock clock;

	CodeStep(SignInState signInState, RequestCache requestCache, SignedInSessions sessions,
			TrustedBrowsers trustedBrowsers, Attempts attempts, Clock clock) {
		this.signInState = signInState;
		this.requestCache = requestCache;
		this.sessions = sessions;
		this.trustedBrowsers = trustedBrowsers;
		this.attempts = attempts;
		this.clock = clock;
	}

	/**
	 * Signed in: on to the page first asked for. Otherwise nothing: the form is shown
	 * again with its message, also when the lockout has just locked the second factor
	 * (the message says until when; the person stays on the page, and the pending sign-in
	 * still ends at its usual timeout).
	 * @return the view to go to, if the attempt ends the code step
	 */
	Optional<String> after(AttemptResult attempt, HttpServletRequest request, HttpServletResponse response,
			RedirectAttributes redirect) {
		if (attempt.accepted()) {
			this.signInState.secondFactorProven(request, response);
			return Optional.of("redirect:" + targetAfterSignIn(request, response));
		}
		return Optional.empty();
	}

	/**
	 * The code form for a page that takes a second factor: with the lock's message at
	 * once if the account's second factor is locked now, so that nobody types a right
	 * code only to have it refused.
	 */
	void addForm(Model model, String name, Object form, long accountId, String field, AttemptMessages.Typed typed) {
		BindingResult result = new BeanPropertyBindingResult(form, name);
		this.attempts.lockedUntil(accountId, Budget.SECOND_FACTOR)
			.ifPresent((until) -> AttemptMessages.rejectLocked(result, field, until, this.clock, typed));
		model.addAttribute(name, form);
		model.addAttribute(BindingResult.MODEL_KEY_PREFIX + name, result);
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
