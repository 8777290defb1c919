package dev.totplogin.signin;

import java.io.IOException;
import java.time.Clock;

import java.util.LinkedHashMap;

import java.util.Map;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.Budget;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SecondStep;
import dev.totplogin.security.SessionValidity;
import dev.totplogin.security.SignInState;
import dev.totplogin.security.StepUp;
import dev.totplogin.securitykey.SecurityKeys;

import org.springframework.http.MediaType;
import org.springframework.security.authentication.BadCredentialsException;

import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationFilter;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationRequestToken;
import org.springframework.security.web.webauthn.management.RelyingPartyAuthenticationRequest;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.stereotype.Component;

/**
 * The security-key step of a sign-in, on Spring Security's {@code POST /login/webauthn}.
 * Its filter, left as it is, would sign anyone in with a key alone (a first factor); here
 * it accepts a key only for the pending sign-in of this session, within the pending
 * timeout and the sign-in's lifetime, only a key of that same account, and only within
 * the account's second-factor attempt budget. The relying party checks the challenge this
 * session was given (used once: the filter removes it before checking), the origin, the
 * relying party id and the signature; the credential repository checks that the signature
 * counter went up. The key's factor, {@code FACTOR_WEBAUTHN}, then completes the sign-in
 * through the success handler every second factor shares ({@link SignInCompletion}: new
 * session id and CSRF token, an audit event, "trust this browser" if the box was ticked,
 * the page first asked for).
 * <p>
 * In a signed-in session the same ceremony with one of its own keys is fresh proof for
 * the account page ({@code FACTOR_CONFIRMED}, see {@link StepUp}), as a code typed there
 * is.
 * <p>
 * Answers are JSON for our script: {@code {"authenticated":true,"redirectUrl":…}}, or a
 * 401 {@code {"authenticated":false}} with a {@code redirectUrl} when this session has no
 * sign-in left to complete (the code page then says why).
 */
@Component
class SecurityKeyStep implements ObjectPostProcessor<WebAuthnAuthenticationFilter> {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final WebAuthnRelyingPartyOperations relyingParty;

	private final SecurityKeys securityKeys;

	private final Attempts attempts;

	private final SessionValidity validity;

	private final SignInCompletion completion;

	private final AuditLog audit;

	private final SignInState signInState;

	private final Clock clock;

	private final StepUp stepUp;

	SecurityKeyStep(WebAuthnRelyingPartyOperations relyingParty, SecurityKeys securityKeys, Attempts attempts,
			SessionValidity validity, SignInCompletion completion, AuditLog audit, SignInState signInState,
			StepUp stepUp, Clock clock) {
		this.relyingParty = relyingParty;
		this.securityKeys = securityKeys;
		this.attempts = attempts;
		this.validity = validity;
		this.completion = completion;
		this.audit = audit;
		this.signInState = signInState;
		this.clock = clock;
		this.stepUp = stepUp;
	}

	@Override
	public <O extends WebAuthnAuthenticationFilter> O postProcess(O filter) {
		filter.setAuthenticationManager(this::authenticate);
		filter.setAuthenticationSuccessHandler(this::signedIn);
		filter.setAuthenticationFailureHandler(this::refused);
		return filter;
	}

	/**
	 * One attempt from the account's second-factor budget (shared with codes and recovery
	 * codes: refused while it is locked, five refusals lock it).
	 * @return in a pending session, its password factor and {@code FACTOR_WEBAUTHN},
	 * which the success handler completes the sign-in with; in a signed-in one, its
	 * factors with {@code FACTOR_CONFIRMED} issued now (fresh proof for the account page)
	 */
	private Authentication authenticate(Authentication request) {
		Authentication current = SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
		boolean signedIn = Factors.isFullyAuthenticated(current) && this.validity.outlived(current).isEmpty();
		AccountPrincipal principal = signedIn ? (AccountPrincipal) current.getPrincipal()
				: this.validity.pendingSignIn(current).orElseThrow(NoSignInToComplete::new);
		RelyingPartyAuthenticationRequest ceremony = ((WebAuthnAuthenticationRequestToken) request)
			.getWebAuthnRequest();
		AttemptResult attempt = this.attempts.attemptAs(principal.accountId(), Budget.SECOND_FACTOR,
				SecurityEventType.SECURITY_KEY_REFUSED, () -> verified(principal, ceremony));
		if (!attempt.accepted()) {
			throw new BadCredentialsException("security key refused");
		}
		return signedIn ? this.stepUp.confirmedNow(current)
				: Factors.with(current, Factors.WEBAUTHN, this.clock.instant());
	}

	/**
	 * A key of this account ({@link SecurityKeys#belongsTo}: checked before the
	 * signature, so another account's key is not even touched, and again after it), and a
	 * signature the relying party accepts.
	 */
	private AttemptResult.Status verified(AccountPrincipal principal, RelyingPartyAuthenticationRequest ceremony) {
		if (ceremony.getPublicKey() == null
				|| !this.securityKeys.belongsTo(principal.getUsername(), ceremony.getPublicKey().getRawId())) {
			return AttemptResult.Status.WRONG;
		}
		try {
			PublicKeyCredentialUserEntity signer = this.relyingParty.authenticate(ceremony);
			return Objects.equals(signer.getName(), principal.getUsername()) ? AttemptResult.Status.ACCEPTED
					: AttemptResult.Status.WRONG;
		}
		catch (RuntimeException ex) {
			return AttemptResult.Status.WRONG;
		}
	}

	private void signedIn(HttpServletRequest request, HttpServletResponse response, Authentication proven)
			throws IOException {
		AccountPrincipal principal = (AccountPrincipal) proven.getPrincipal();
		long accountId = principal.accountId();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("authenticated", true);
		if (principal.signedInSession() != null) {
			this.signInState.confirmed(proven, request, response);
			this.audit.record(accountId, SecurityEventType.SECURITY_KEY_CONFIRMED);
			body.put("redirectUrl", request.getContextPath() + "/account#confirm");
			write(response, HttpServletResponse.SC_OK, body);
			return;
		}
		body.put("redirectUrl", request.getContextPath() + this.completion.complete(proven, request, response));
		write(response, HttpServletResponse.SC_OK, body);
	}

	private void refused(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("authenticated", false);
		if (ex instanceof NoSignInToComplete) {
			body.put("redirectUrl", request.getContextPath() + SecondStep.VERIFY);
		}
		write(response, HttpServletResponse.SC_UNAUTHORIZED, body);
	}

	private static void write(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		json.writeValue(response.getOutputStream(), body);
	}

	/** This session has no pending sign-in (or its time is up): nothing to complete. */
	private static final class NoSignInToComplete extends AuthenticationException {

		NoSignInToComplete() {
			super("no pending sign-in to complete");
		}

	}

}
