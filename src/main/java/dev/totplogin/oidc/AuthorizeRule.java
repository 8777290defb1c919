package dev.totplogin.oidc;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.totplogin.crypto.Tokens;
import dev.totplogin.security.Assurance;
import dev.totplogin.security.SignInState;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;

/**
 * Who may be given a code at {@code /oauth2/authorize}: a complete sign-in (password and
 * a second factor: a pending one is "authenticated" to Spring Security, so
 * {@code authenticated()} would not do), and what the client asked for, which Spring
 * Security's authorization server does not check (it honours {@code prompt=none} only):
 * <ul>
 * <li>{@code max_age=N}: a password older than N seconds is asked again;</li>
 * <li>{@code prompt=login}: the password is asked again (once per request: see
 * below);</li>
 * <li>{@code acr_values}: the weakest level listed that we know must be met: a session on
 * a trusted browser ({@link Assurance#AAL1}) asked for {@link Assurance#AAL2} signs in
 * again with the code. Unknown values ask for nothing; the token never claims more than
 * the session proved.</li>
 * </ul>
 * A sign-in made for this request, or after it was first seen, is fresh enough: without
 * that, {@code max_age=0} (or a slow sign-in) would send the person round forever. A
 * level asked for is checked after signing in again too, and that sign-in asks for the
 * code even on a trusted browser, so it cannot end on a weaker level.
 */
@Component
class AuthorizeRule implements AuthorizationManager<RequestAuthorizationContext> {

	/** What the session lacks for this request. */
	enum Missing {

		/** Not signed in, or the sign-in is still pending: the ordinary way in. */
		SIGN_IN,
		/** A fresh password ({@code max_age}, {@code prompt=login}). */
		FRESH_SIGN_IN,
		/** A code (or key) in this sign-in ({@code acr_values}). */
		STRONGER_SIGN_IN

	}

	static final class Denied extends AuthorizationDecision {

		private final Missing missing;

		Denied(Missing missing) {
			super(false);
			this.missing = missing;
		}

		Missing missing() {
			return this.missing;
		}

	}

	/** How many authorize requests a session remembers having seen. */
	private static final int REMEMBERED = 20;

	private static final String FIRST_SEEN = AuthorizeRule.class.getName() + ".FIRST_SEEN";

	private final Clock clock;

	AuthorizeRule(Clock clock) {
		this.clock = clock;
	}

	@Override
	public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
			RequestAuthorizationContext context) {
		Optional<Assurance> assurance = Assurance.of(authentication.get());
		if (assurance.isEmpty()) {
			return new Denied(Missing.SIGN_IN);
		}
		HttpServletRequest request = context.getRequest();
		Instant now = this.clock.instant();
		// The sign-in's auth_time (its latest factor), as the ID token says it.
		Instant password = assurance.get().authTime();
		// The sign-in this request sent the person to (from nothing, a pending sign-in
		// or "sign in again") came after it; else one made since it was first seen.
		boolean signedInSinceAsked = SignInState.isSignInFor(request) || password.isAfter(firstSeen(request, now));
		if (!signedInSinceAsked) {
			if (prompts(request).contains("login")) {
				return new Denied(Missing.FRESH_SIGN_IN);
			}
			Optional<Long> maxAge = maxAge(request);
			if (maxAge.isPresent() && password.isBefore(now.minusSeconds(maxAge.get()))) {
				return new Denied(Missing.FRESH_SIGN_IN);
			}
		}
		// Also after signing in again: that sign-in asked for the code (codeRequired).
		Optional<String> level = requiredLevel(request);
		if (level.isPresent() && !assurance.get().meets(level.get())) {
			return new Denied(Missing.STRONGER_SIGN_IN);
		}
		return new AuthorizationDecision(true);
	}

	static List<String> prompts(HttpServletRequest request) {
		String prompt = request.getParameter("prompt");
		return (prompt != null) ? Arrays.asList(prompt.trim().split(" +")) : List.of();
	}

	/** {@code max_age}, already checked to be a number by {@link RequestSyntax}. */
	static Optional<Long> maxAge(HttpServletRequest request) {
		String maxAge = request.getParameter("max_age");
		return (maxAge != null && maxAge.matches("[0-9]{1,9}")) ? Optional.of(Long.parseLong(maxAge))
				: Optional.empty();
	}

	/** The weakest of the levels asked for that we know. */
	static Optional<String> requiredLevel(HttpServletRequest request) {
		String values = request.getParameter("acr_values");
		if (values == null) {
			return Optional.empty();
		}
		List<String> asked = Arrays.asList(values.trim().split(" +"));
		return Assurance.LEVELS.stream().filter(asked::contains).findFirst();
	}

	/**
	 * When this session first saw this authorization request (the same client, state,
	 * nonce and parameters): a sign-in after that moment answers it.
	 */
	private Instant firstSeen(HttpServletRequest request, Instant now) {
		HttpSession session = request.getSession();
		@SuppressWarnings("unchecked")
		Map<String, Instant> seen = (session.getAttribute(FIRST_SEEN) instanceof Map<?, ?> map)
				? new LinkedHashMap<>((Map<String, Instant>) map) : new LinkedHashMap<>();
		String key = Tokens.sha256(String.join("\n", String.valueOf(request.getParameter("client_id")),
				String.valueOf(request.getParameter("state")), String.valueOf(request.getParameter("nonce")),
				String.valueOf(request.getParameter("redirect_uri")), String.valueOf(request.getParameter("prompt")),
				String.valueOf(request.getParameter("max_age")), String.valueOf(request.getParameter("acr_values")),
				String.valueOf(request.getParameter("code_challenge"))));
		Instant first = seen.get(key);
		if (first == null) {
			first = now;
			seen.put(key, now);
			while (seen.size() > REMEMBERED) {
				seen.remove(seen.keySet().iterator().next());
			}
			session.setAttribute(FIRST_SEEN, seen);
		}
		return first;
	}

}
