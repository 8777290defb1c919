package dev.totplogin.signin;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.SessionValidity;
import dev.totplogin.security.SignInState;

import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The design card's custom partial-authentication filter: it holds a session in "password
 * ok, code pending" until the TOTP service confirms the code. The session holds only
 * {@code FACTOR_PASSWORD} after the password step, so the declared rule of every other
 * page (the password and a second factor) sends it to the second step, and the rule of
 * the second step's pages lets it stay there for {@code app.security.pending-timeout}
 * (the password factor's valid duration). This filter takes the code posted there: a
 * well-formed code of the pending sign-in of an enrolled account goes to the provider
 * ({@link TotpAuthenticationProvider}, or {@link RecoveryCodeAuthenticationProvider} for
 * the recovery-code form), whose factor Spring Security's multi-factor support adds to
 * the password factor; the shared success handler ({@link SignInCompletion}) completes
 * the sign-in. A refused code goes back to its page with the reason.
 * <p>
 * A request it does not take (an empty or malformed field, no pending sign-in, a pending
 * sign-in past its time) goes on down the chain: authorization then ends an expired
 * sign-in, and the page's controller shows the form's own errors, so a typing slip never
 * counts as an attempt.
 */
final class PartialAuthenticationFilter extends AuthenticationFilter {

	private static final String REFUSED = PartialAuthenticationFilter.class.getName() + ".REFUSED";

	/** Where the form posts. */
	private final RequestMatcher form;

	/**
	 * @param path where the form posts ({@code /verify-2fa},
	 * {@code /verify-2fa/recovery})
	 * @param factor the factor authority the code proves
	 * @param field the form field holding the code
	 * @param wellFormed whether what was typed is worth an attempt (the form's own
	 * checks)
	 */
	PartialAuthenticationFilter(AuthenticationManager authenticationManager, SessionValidity validity, String path,
			String factor, String field, Predicate<String> wellFormed, AuthenticationSuccessHandler completion) {
		super(authenticationManager, (request) -> convert(request, validity, factor, field, wellFormed));
		this.form = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, path);
		setRequestMatcher(this.form);
		setMfaEnabled(true);
		setSuccessHandler(completion);
		setFailureHandler(PartialAuthenticationFilter::refused);
	}

	/**
	 * As Spring Security's filter does, and then a refused code goes on to its page's
	 * controller, which shows why next to the field (Spring's filter would end the
	 * request at its failure handler).
	 */
	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.form.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		super.doFilterInternal(request, response, chain);
		if (refusal(request).isPresent()) {
			chain.doFilter(request, response);
		}
	}

	/** Why the code of this request was refused, if it was. */
	static Optional<AttemptResult> refusal(HttpServletRequest request) {
		return Optional.ofNullable((AttemptResult) request.getAttribute(REFUSED));
	}

	/** The code was refused: its page says why, to the pending sign-in as it was. */
	private static void refused(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex) {
		if (!(ex instanceof SecondFactorCode.Refused refused)) {
			// Not a refused code: nothing the person can act on (the error page).
			throw ex;
		}
		SignInState.keepAfterRefusal(request);
		request.setAttribute(REFUSED, refused.attempt());
	}

	private static Authentication convert(HttpServletRequest request, SessionValidity validity, String factor,
			String field, Predicate<String> wellFormed) {
		Authentication current = SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
		String typed = request.getParameter(field);
		if (typed == null || !wellFormed.test(typed)) {
			return null;
		}
		return validity.pendingSignIn(current)
			.map((AccountPrincipal pending) -> new SecondFactorCode(pending, factor, typed))
			.orElse(null);
	}

}
