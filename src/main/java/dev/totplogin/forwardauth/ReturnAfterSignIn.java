package dev.totplogin.forwardauth;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.totplogin.security.Factors;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The way back to a protected application: {@code GET /login?rd=<url>}, where the verify
 * endpoint sends a browser that is not signed in. A return URL of a protected domain is
 * saved as the page asked for (the request cache every sign-in ends with), so the
 * complete sign-in comes back to this same {@code /login?rd=}, which, signed in now,
 * sends the person on to it (through {@link ReturnController}'s page): checked against
 * {@code app.forward-auth.domains} again at that moment. Any other return URL is ignored:
 * the sign-in page as usual, home after it.
 */
@Component
class ReturnAfterSignIn extends AbstractHttpConfigurer<ReturnAfterSignIn, HttpSecurity> {

	private static final RequestMatcher loginWithReturn = (request) -> request.getParameter("rd") != null
			&& PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/login").matches(request);

	private final ProtectedDomains domains;

	private final RequestCache requestCache;

	ReturnAfterSignIn(ProtectedDomains domains, RequestCache requestCache) {
		this.domains = domains;
		this.requestCache = requestCache;
	}

	@Override
	public void configure(HttpSecurity http) {
		http.addFilterBefore(new Filter(), AuthorizationFilter.class);
	}

	private final class Filter extends OncePerRequestFilter {

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			return !loginWithReturn.matches(request);
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Optional<URI> target = ReturnAfterSignIn.this.domains.check(request.getParameter("rd"));
			if (target.isPresent() && Factors.isFullyAuthenticated(
					SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication())) {
				response.sendRedirect(request.getContextPath() + ReturnController.PATH + "?rd="
						+ URLEncoder.encode(target.get().toString(), StandardCharsets.UTF_8));
				return;
			}
			if (target.isPresent()) {
				ReturnAfterSignIn.this.requestCache.saveRequest(request, response);
			}
			chain.doFilter(request, response);
		}

	}

}
