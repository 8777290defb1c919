package dev.totplogin.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds a session that has proven the password but not yet the code ("password ok, code
 * pending"). Such a session reaches only its own 2FA page ({@code /setup-2fa} before
 * enrollment, {@code /verify-2fa} after), logout, the address confirmation page, the
 * language switch, static assets and the error page (and, after enrollment, the options
 * of a security-key sign-in); every other request is redirected to that 2FA page. The
 * pending state lasts {@code app.security.pending-timeout}; after that the session is
 * ended and the person starts again at {@code /login}.
 */
class PartialAuthenticationFilter extends OncePerRequestFilter {

	private static final PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();

	private static final RequestMatcher alwaysAllowed = new OrRequestMatcher(paths.matcher("/logout"),
			paths.matcher("/error"), paths.matcher("/email/verify"), paths.matcher("/language"),
			paths.matcher(SecurityConfiguration.ASSETS), paths.matcher(SecurityConfiguration.WEBJARS));

	private static final RequestMatcher setupPages = new OrRequestMatcher(paths.matcher(SignInPages.SETUP),
			paths.matcher(SignInPages.SETUP + "/**"));

	/**
	 * The options of a security-key ceremony: for a pending session (the key step) or a
	 * signed-in one (fresh proof on the account page), never an anonymous one, which this
	 * application does not sign in with a key alone. The {@code /login/webauthn} that
	 * follows runs before this filter, and the key step itself checks the same.
	 */
	private static final RequestMatcher keyOptions = paths.matcher(HttpMethod.POST, SignInPages.KEY_OPTIONS);

	private static final RequestMatcher verifyPages = new OrRequestMatcher(paths.matcher(SignInPages.VERIFY),
			paths.matcher(SignInPages.VERIFY + "/**"), keyOptions);

	private final SignInState signInState;

	private final SignInValidity validity;

	PartialAuthenticationFilter(SignInState signInState, SignInValidity validity) {
		this.signInState = signInState;
		this.validity = validity;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContextHolderStrategy()
			.getContext()
			.getAuthentication();
		if (!Factors.isPending(authentication)) {
			if (keyOptions.matches(request) && !Factors.isFullyAuthenticated(authentication)) {
				response.sendError(HttpServletResponse.SC_FORBIDDEN);
				return;
			}
			chain.doFilter(request, response);
			return;
		}
		if (this.validity.pendingExpired(authentication)) {
			this.signInState.endWithMessage(request, response, "login.pendingExpired");
			return;
		}
		boolean enrolled = ((AccountPrincipal) authentication.getPrincipal()).totpEnabled();
		RequestMatcher ownPages = enrolled ? verifyPages : setupPages;
		if (alwaysAllowed.matches(request) || ownPages.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		response.sendRedirect(request.getContextPath() + SignInPages.secondStepOf(enrolled));
	}

}
