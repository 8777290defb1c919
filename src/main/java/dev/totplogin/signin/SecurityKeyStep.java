package dev.totplogin.signin;

import java.io.IOException;
import java.time.Clock;

import java.util.LinkedHashMap;

import java.util.Map;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
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
import dev.totplogin.securitykey.AuthenticatorFlags;
import dev.totplogin.securitykey.SecurityKeys;

import org.springframework.http.MediaType;
import org.springframework.security.authentication.BadCredentialsException;

import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.webauthn.api.Bytes;
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
 * In a session with no sign-in at all, a passkey signs in on its own (the login page's
 * "Sign in with a passkey" and autofill; the assertion is usernameless, so the account is
 * found from the credential): an unknown credential is refused as a wrong one and counts
 * nowhere; a known one is an attempt from its account's second-factor budget (a locked
 * account refuses it as a wrong one). It signs in only if the signature verifies, the
 * assertion's signed flags say the user was verified (UV), and the credential was
 * registered as a passkey with user verification; then the session carries
 * {@code FACTOR_WEBAUTHN} and {@code FACTOR_USER_VERIFIED} (Spring grants the first
 * whether or not the user was verified: spring-security #16849). A genuine key without UV
 * is refused on its own (not counted as a failure: it is the account's key) and keeps
 * working as the second step after the password.
 * <p>
 * Answers are JSON for our script: {@code {"authenticated":true,"redirectUrl":…}}, or a
 * 401 {@code {"authenticated":false}} with a {@code redirectUrl} when this session has no
 * sign-in left to complete (the code page then says why), or with
 * {@code "reason":"notAlone"} for a key that cannot sign in on its own.
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

	private final AccountRepository accounts;

	SecurityKeyStep(WebAuthnRelyingPartyOperations relyingParty, SecurityKeys securityKeys, Attempts attempts,
			SessionValidity validity, SignInCompletion completion, AuditLog audit, SignInState signInState,
			StepUp stepUp, Clock clock, AccountRepository accounts) {
		this.accounts = accounts;
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
		if (!signedIn && !Factors.hasPassword(current)) {
			return passkeyAlone(((WebAuthnAuthenticationRequestToken) request).getWebAuthnRequest());
		}
		AccountPrincipal principal = signedIn ? (AccountPrincipal) current.getPrincipal()
				: this.validity.pendingSignIn(current).orElseThrow(NoSignInToComplete::new);
		RelyingPartyAuthenticationRequest ceremony = ((WebAuthnAuthenticationRequestToken) request)
			.getWebAuthnRequest();
		AttemptResult attempt = this.attempts.attemptAs(principal.accountId(), Budget.SECOND_FACTOR,
				SecurityEventType.SECURITY_KEY_REFUSED, () -> verified(principal.getUsername(), ceremony));
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
	private AttemptResult.Status verified(String username, RelyingPartyAuthenticationRequest ceremony) {
		if (ceremony.getPublicKey() == null
				|| !this.securityKeys.belongsTo(username, ceremony.getPublicKey().getRawId())) {
			return AttemptResult.Status.WRONG;
		}
		try {
			PublicKeyCredentialUserEntity signer = this.relyingParty.authenticate(ceremony);
			return Objects.equals(signer.getName(), username) ? AttemptResult.Status.ACCEPTED
					: AttemptResult.Status.WRONG;
		}
		catch (RuntimeException ex) {
			return AttemptResult.Status.WRONG;
		}
	}

	/**
	 * A passkey on its own, in a session with no sign-in: the account is the credential's
	 * owner; an unknown credential is a wrong one, counted nowhere (there is no account
	 * to count it against, and the answer must not tell the two apart).
	 */
	private Authentication passkeyAlone(RelyingPartyAuthenticationRequest ceremony) {
		SignInState.markPasskeyAttempt();
		Bytes credentialId = (ceremony.getPublicKey() != null) ? ceremony.getPublicKey().getRawId() : null;
		SecurityKeys.Owner owner = this.securityKeys.ownerOf(credentialId)
			.orElseThrow(() -> new BadCredentialsException("passkey refused"));
		Account account = this.accounts.findByUsernameKey(Account.keyOf(owner.username()))
			.orElseThrow(() -> new BadCredentialsException("passkey refused"));
		AttemptResult attempt = this.attempts.attemptAs(account.getId(), Budget.SECOND_FACTOR,
				SecurityEventType.SECURITY_KEY_REFUSED, () -> {
					AttemptResult.Status status = verified(owner.username(), ceremony);
					boolean userVerified = AuthenticatorFlags
						.of(ceremony.getPublicKey().getResponse().getAuthenticatorData())
						.userVerified();
					if (status == AttemptResult.Status.ACCEPTED && !(owner.signsInAlone() && userVerified)) {
						// The account's own key, verified: no failure, but no sign-in
						// alone.
						throw new NotOnItsOwn();
					}
					return status;
				});
		if (!attempt.accepted()) {
			throw new BadCredentialsException("passkey refused");
		}
		if (account.isDisabled()) {
			// Disabled by an administrator: the answer of a wrong key.
			this.audit.record(account.getId(), SecurityEventType.REFUSED_WHILE_DISABLED, "passkey");
			throw new BadCredentialsException("passkey refused");
		}
		return this.signInState.provenByPasskey(account, owner.backupEligible());
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
		if (ex instanceof NotOnItsOwn) {
			body.put("reason", "notAlone");
		}
		write(response, HttpServletResponse.SC_UNAUTHORIZED, body);
	}

	private static void write(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		json.writeValue(response.getOutputStream(), body);
	}

	/**
	 * A key of the account, verified, that may not sign in on its own: not registered as
	 * a passkey with user verification, or this assertion without UV.
	 */
	private static final class NotOnItsOwn extends AuthenticationException {

		NotOnItsOwn() {
			super("this key signs in only after the password");
		}

	}

	/** This session has no pending sign-in (or its time is up): nothing to complete. */
	private static final class NoSignInToComplete extends AuthenticationException {

		NoSignInToComplete() {
			super("no pending sign-in to complete");
		}

	}

}
