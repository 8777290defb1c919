package dev.totplogin.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The challenge of a security-key ceremony ({@code POST /webauthn/authenticate/options})
 * only for a session with a sign-in to complete or to confirm: never for an anonymous one
 * (a 403), which this application does not sign in with a key alone. Spring Security's
 * {@code PublicKeyCredentialRequestOptionsFilter} answers before authorization and,
 * unlike its registration counterpart, takes no {@code AuthorizationManager} (no Spring
 * Security issue asks for one yet); so the second step's rule is asked here, in front of
 * it, and a denial goes to the same entry points as any other.
 */
final class SecurityKeyOptionsFilter extends OncePerRequestFilter {

	private static final RequestMatcher options = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.POST, SecondStep.KEY_OPTIONS);

	private final AuthorizationManager<RequestAuthorizationContext> rule;

	SecurityKeyOptionsFilter(AuthorizationManager<RequestAuthorizationContext> rule) {
		this.rule = rule;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (options.matches(request)) {
			Authentication authentication = SecurityContextHolder.getContextHolderStrategy()
				.getContext()
				.getAuthentication();
			if (!Factors.hasPassword(authentication)) {
				// A script's request, not a page: no sign-in form in answer.
				response.sendError(HttpServletResponse.SC_FORBIDDEN);
				return;
			}
			AuthorizationResult result = this.rule.authorize(() -> authentication,
					new RequestAuthorizationContext(request));
			if (result != null && !result.isGranted()) {
				throw new AuthorizationDeniedException("no sign-in to prove with a security key", result);
			}
		}
		chain.doFilter(request, response);
	}

}
