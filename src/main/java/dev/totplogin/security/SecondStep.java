package dev.totplogin.security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AllRequiredFactorsAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The second step of a sign-in: its pages, their rule (the password factor within
 * {@code app.security.pending-timeout}), where a session that has proven only its
 * password is sent (the entry point of a missing second factor), and the rule that keeps
 * such a session off the pages of someone not signed in.
 */
public final class SecondStep {

	/** Enrollment: the authenticator is set up and its first code confirms it. */
	public static final String SETUP = "/setup-2fa";

	/** The code step of an enrolled account. */
	public static final String VERIFY = "/verify-2fa";

	/** Spring Security's endpoint for the challenge of a security-key sign-in. */
	public static final String KEY_OPTIONS = "/webauthn/authenticate/options";

	/**
	 * The second step's pages: enrollment, the code, the options of a key's challenge.
	 */
	static final RequestMatcher PAGES = pages();

	private SecondStep() {
	}

	/**
	 * The second step's page for an account that has (or has not yet) enrolled an
	 * authenticator.
	 */
	public static String pageOf(boolean enrolled) {
		return enrolled ? VERIFY : SETUP;
	}

	/**
	 * The second step's pages: a sign-in whose password is proven, for
	 * {@code app.security.pending-timeout}, or one already complete (the pages send it
	 * home). Denied past that time with the password factor's "expired" error first, so
	 * the pending sign-in's end is what the person sees.
	 */
	@SuppressWarnings("unchecked")
	static AuthorizationManager<RequestAuthorizationContext> rule(SessionValidity validity) {
		List<AllRequiredFactorsAuthorizationManager<RequestAuthorizationContext>> rules = new ArrayList<>();
		rules.add(validity.passwordWithinPendingTimeout());
		rules.addAll(Factors.completeSignInRules(List.of()));
		return AllRequiredFactorsAuthorizationManager
			.anyOf(rules.toArray(AllRequiredFactorsAuthorizationManager[]::new));
	}

	/**
	 * The pages of someone not signed in (the login form, sign-up, the forgotten
	 * password): anyone, except a pending sign-in, which the signed-in rule sends back to
	 * its second step. Spring Security's {@code AuthorizationManagers.anyOf} would lose
	 * the factor errors that choose the entry point (spring-security #18960), and
	 * {@code AllRequiredFactorsAuthorizationManager.anyOf} takes factor rules only, hence
	 * this one.
	 */
	static AuthorizationManager<RequestAuthorizationContext> notPending() {
		AuthorizationManager<RequestAuthorizationContext> signedIn = Factors.signedIn();
		return (authentication, context) -> Factors.hasPassword(authentication.get())
				? signedIn.authorize(authentication, context) : new AuthorizationDecision(true);
	}

	/**
	 * The entry point of a missing second factor: the page the account's second step
	 * needs.
	 */
	static void enter(HttpServletRequest request, HttpServletResponse response, AuthenticationException missing)
			throws IOException {
		Authentication authentication = SecurityContextHolder.getContextHolderStrategy()
			.getContext()
			.getAuthentication();
		boolean enrolled = authentication != null && authentication.getPrincipal() instanceof AccountPrincipal principal
				&& principal.totpEnabled();
		response.sendRedirect(request.getContextPath() + pageOf(enrolled));
	}

	private static RequestMatcher pages() {
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		return new OrRequestMatcher(paths.matcher(SETUP), paths.matcher(SETUP + "/**"), paths.matcher(VERIFY),
				paths.matcher(VERIFY + "/**"), paths.matcher(HttpMethod.POST, KEY_OPTIONS));
	}

}
