package dev.totplogin.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a signed-in session (pending or complete) that has outlived its sign-in: older
 * than the absolute lifetime since its earliest factor
 * ({@code app.security.absolute-timeout}, ASVS 7.3.2), idle longer than
 * {@code app.security.idle-timeout} (ASVS 7.3.1), or signed in before the account's
 * session epoch was raised (sign out everywhere else, operator reset), or a signed-in
 * session whose row in {@link AccountSessions} is gone (ended from the account page).
 * These facts live in the database and the session's {@code Authentication}, so this
 * holds across instances whatever the session store. The checks are
 * {@link SessionValidity#outlived}, which the security-key step (ahead of this filter in
 * the chain) asks too.
 */
public class SessionValidityFilter extends OncePerRequestFilter {

	private final SignInState signInState;

	private final SessionValidity validity;

	private final RequestMatcher checkedElsewhere;

	/** Every request of the chain it is in (the OpenID Connect provider's). */
	public SessionValidityFilter(SignInState signInState, SessionValidity validity) {
		this(signInState, validity, (request) -> false);
	}

	/**
	 * @param checkedElsewhere requests that check the session themselves (forward auth's
	 * verify endpoint, which answers 401 rather than ending the session)
	 */
	SessionValidityFilter(SignInState signInState, SessionValidity validity, RequestMatcher checkedElsewhere) {
		this.signInState = signInState;
		this.validity = validity;
		this.checkedElsewhere = checkedElsewhere;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return this.checkedElsewhere.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Optional<SessionValidity.Outlived> outlived = this.validity
			.outlived(SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication());
		if (outlived.isPresent()) {
			this.signInState.endOutlived(request, response, outlived.get(), this.validity.limitOf(outlived.get()));
			return;
		}
		chain.doFilter(request, response);
	}

}
