package dev.totplogin.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.totplogin.account.AccountRepository;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a signed-in session (pending or complete) that has outlived its sign-in: older
 * than the absolute lifetime since the password step
 * ({@code app.security.absolute-timeout}, ASVS 7.3.2), or signed in before the account's
 * session epoch was raised (sign out everywhere else, operator reset), or a signed-in
 * session whose row in {@link SignedInSessions} is gone (ended from the account page).
 * These facts live in the database and the session's {@code Authentication}, so this
 * holds across instances whatever the session store.
 */
class SessionValidityFilter extends OncePerRequestFilter {

	private final AccountRepository accounts;

	private final SignInState signInState;

	private final SignedInSessions sessions;

	private final Clock clock;

	private final Duration absoluteTimeout;

	SessionValidityFilter(AccountRepository accounts, SignInState signInState, SignedInSessions sessions, Clock clock,
			Duration absoluteTimeout) {
		this.accounts = accounts;
		this.signInState = signInState;
		this.sessions = sessions;
		this.clock = clock;
		this.absoluteTimeout = absoluteTimeout;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContextHolderStrategy()
			.getContext()
			.getAuthentication();
		if (authentication == null || !(authentication.getPrincipal() instanceof AccountPrincipal principal)) {
			chain.doFilter(request, response);
			return;
		}
		if (Factors.isOlderThan(authentication, Factors.PASSWORD, this.absoluteTimeout, this.clock.instant())) {
			this.signInState.endWithMessage(request, response, "login.sessionExpired");
			return;
		}
		Optional<Integer> epoch = this.accounts.findSessionEpochById(principal.accountId());
		if (epoch.isEmpty() || epoch.get() != principal.sessionEpoch()
				|| (Factors.isFullyAuthenticated(authentication) && (principal.signedInSession() == null
						|| !this.sessions.stillSignedIn(principal.accountId(), principal.signedInSession())))) {
			this.signInState.endWithMessage(request, response, "info", "login.signedOutElsewhere");
			return;
		}
		chain.doFilter(request, response);
	}

}
