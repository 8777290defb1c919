package dev.totplogin.oidc;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks of an authorization request that need no session, added to Spring Security's own
 * (client, redirect URI, scope, PKCE, prompt): they run before the sign-in pages, so a
 * bad request is answered at once. A request object is refused
 * ({@code request_not_supported}, OpenID Connect Core 6.1: silently ignoring it would
 * drop what the client asked for); {@code max_age} must be a number of seconds.
 */
final class RequestSyntax {

	/** At most nine digits (over 30 years): nothing an integer cannot hold. */
	private static final int MAX_AGE_DIGITS = 9;

	private RequestSyntax() {
	}

	static void check(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		Map<String, Object> parameters = request.getAdditionalParameters();
		if (parameters.containsKey("request")) {
			throw error(request, "request_not_supported", "Request objects are not supported.");
		}
		Object maxAge = parameters.get("max_age");
		if (maxAge != null && !(maxAge instanceof String text && text.matches("[0-9]{1," + MAX_AGE_DIGITS + "}"))) {
			throw error(request, OAuth2ErrorCodes.INVALID_REQUEST, "max_age must be a number of seconds.");
		}
	}

	/**
	 * A {@code request_uri} (pushed authorization requests, request objects by reference)
	 * is refused before anything else: Spring Security's pre-validating filter skips
	 * every check of a request that carries one, leaving it to the PAR endpoint, which is
	 * not enabled here. A 400 page, no redirect: nothing about the request was checked.
	 */
	static Filter noRequestUri() {
		return new OncePerRequestFilter() {
			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				if (request.getParameter("request_uri") != null) {
					response.sendError(HttpServletResponse.SC_BAD_REQUEST);
					return;
				}
				chain.doFilter(request, response);
			}

			@Override
			protected boolean shouldNotFilter(HttpServletRequest request) {
				return !request.getRequestURI().equals(request.getContextPath() + "/oauth2/authorize");
			}
		};
	}

	private static OAuth2AuthorizationCodeRequestAuthenticationException error(
			OAuth2AuthorizationCodeRequestAuthenticationToken request, String code, String description) {
		return new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(code, description, null),
				request);
	}

}
