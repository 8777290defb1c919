package dev.totplogin.security;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.totplogin.audit.ClientAddress;
import dev.totplogin.lockout.RateLimits;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
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
 * The challenge of a security-key or passkey ceremony
 * ({@code POST /webauthn/authenticate/options}): for a session with a sign-in to complete
 * or to confirm, under the second step's rule; for a session with no sign-in at all (a
 * passkey's sign-in from the login page: usernameless, so the options name no
 * credential), within {@link PasskeyOptionsLimitProperties} per client IP, since Spring
 * Security keeps the challenge in the HTTP session and so each one is a session row.
 * Spring Security's {@code PublicKeyCredentialRequestOptionsFilter} answers before
 * authorization and, unlike its registration counterpart, takes no
 * {@code AuthorizationManager} (no Spring Security issue asks for one yet); so the rules
 * are asked here, in front of it, and a denial goes to the same entry points as any
 * other.
 */
final class SecurityKeyOptionsFilter extends OncePerRequestFilter {

	private static final RequestMatcher options = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.POST, SecondStep.KEY_OPTIONS);

	private final AuthorizationManager<RequestAuthorizationContext> rule;

	private final RateLimits rateLimits;

	private final PasskeyOptionsLimitProperties limit;

	SecurityKeyOptionsFilter(AuthorizationManager<RequestAuthorizationContext> rule, RateLimits rateLimits,
			PasskeyOptionsLimitProperties limit) {
		this.rule = rule;
		this.rateLimits = rateLimits;
		this.limit = limit;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (options.matches(request)) {
			Authentication authentication = SecurityContextHolder.getContextHolderStrategy()
				.getContext()
				.getAuthentication();
			if (!Factors.hasPassword(authentication) && !Factors.isFullyAuthenticated(authentication)) {
				// A passkey's sign-in from nothing. A script's request, not a page: a
				// status, no sign-in form.
				if (!this.rateLimits.tryHit("passkey-options:" + ClientAddress.keyOf(request.getRemoteAddr()),
						this.limit.perIpPerHour(), Duration.ofHours(1))) {
					response.sendError(HttpStatus.TOO_MANY_REQUESTS.value());
					return;
				}
				chain.doFilter(request, response);
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
