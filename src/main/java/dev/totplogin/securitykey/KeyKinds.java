package dev.totplogin.securitykey;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.web.webauthn.api.AuthenticatorSelectionCriteria;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.ResidentKeyRequirement;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialCreationOptionsRequest;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialRequestOptionsRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyAuthenticationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyRegistrationRequest;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.security.web.webauthn.management.Webauthn4JRelyingPartyOperations;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Spring Security's relying party with the two kinds of key a person may add on the
 * account page, and the flags of each use kept up to date. Where we differ from the
 * framework:
 * <ul>
 * <li>Spring's relying party has one creation-options customizer for every registration,
 * and its options filter passes it only the authentication. The kind is a parameter of
 * the options request ({@code POST /webauthn/register/options?kind=passkey}), read here
 * from the current request: a <b>passkey</b> asks {@code residentKey=required} and
 * {@code userVerification=required} (Spring's relying party then refuses a registration
 * whose UV flag is not set); a <b>security key</b> (the default) asks
 * {@code preferred}/{@code preferred}, a second step after the password only.</li>
 * <li>The kind asked for (it travels with the challenge in the session, as the creation
 * options' {@code authenticatorSelection}) is recorded with the credential
 * ({@code registered_as_passkey}), in the same transaction as its row.</li>
 * <li>Spring stores the UV and backup flags of the registration only (its {@code
 * FACTOR_WEBAUTHN} does not say whether the user was verified: spring-security #16849);
 * each verified assertion's signed flags update {@code backup_state} and
 * {@code uv_initialized}, in the same transaction as its signature counter.</li>
 * </ul>
 */
final class KeyKinds implements WebAuthnRelyingPartyOperations {

	/** The request parameter that names the kind of a new key. */
	static final String PARAMETER = "kind";

	static final String PASSKEY = "passkey";

	private final Webauthn4JRelyingPartyOperations relyingParty;

	private final JdbcOperations jdbc;

	private final TransactionTemplate transaction;

	KeyKinds(Webauthn4JRelyingPartyOperations relyingParty, JdbcOperations jdbc, TransactionTemplate transaction) {
		this.relyingParty = relyingParty;
		this.jdbc = jdbc;
		this.transaction = transaction;
		relyingParty.setCustomizeCreationOptions(
				(options) -> options.authenticatorSelection(selection(passkeyAsked(currentRequest()))));
	}

	static AuthenticatorSelectionCriteria selection(boolean passkey) {
		return passkey
				? AuthenticatorSelectionCriteria.builder()
					.residentKey(ResidentKeyRequirement.REQUIRED)
					.userVerification(UserVerificationRequirement.REQUIRED)
					.build()
				// Any security key will do, also one that cannot store a discoverable
				// credential (Spring's default requires one).
				: AuthenticatorSelectionCriteria.builder()
					.residentKey(ResidentKeyRequirement.PREFERRED)
					.userVerification(UserVerificationRequirement.PREFERRED)
					.build();
	}

	/** Whether these options were handed out for a passkey. */
	static boolean isPasskey(PublicKeyCredentialCreationOptions options) {
		AuthenticatorSelectionCriteria selection = options.getAuthenticatorSelection();
		// By value: the options come back from the session (Spring Session JDBC: a copy),
		// and ResidentKeyRequirement has neither equals nor readResolve.
		return selection != null && selection.getResidentKey() != null && selection.getUserVerification() != null
				&& ResidentKeyRequirement.REQUIRED.getValue().equals(selection.getResidentKey().getValue())
				&& UserVerificationRequirement.REQUIRED.getValue().equals(selection.getUserVerification().getValue());
	}

	private static boolean passkeyAsked(HttpServletRequest request) {
		return request != null && PASSKEY.equals(request.getParameter(PARAMETER));
	}

	private static HttpServletRequest currentRequest() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? attributes.getRequest() : null;
	}

	@Override
	public PublicKeyCredentialCreationOptions createPublicKeyCredentialCreationOptions(
			PublicKeyCredentialCreationOptionsRequest request) {
		return this.relyingParty.createPublicKeyCredentialCreationOptions(request);
	}

	@Override
	public CredentialRecord registerCredential(RelyingPartyRegistrationRequest request) {
		boolean passkey = isPasskey(request.getCreationOptions());
		return this.transaction.execute((status) -> {
			CredentialRecord record = this.relyingParty.registerCredential(request);
			if (passkey) {
				this.jdbc.update("update user_credentials set registered_as_passkey = true where credential_id = ?",
						record.getCredentialId().toBase64UrlString());
			}
			return record;
		});
	}

	@Override
	public PublicKeyCredentialRequestOptions createCredentialRequestOptions(
			PublicKeyCredentialRequestOptionsRequest request) {
		return this.relyingParty.createCredentialRequestOptions(request);
	}

	@Override
	public PublicKeyCredentialUserEntity authenticate(RelyingPartyAuthenticationRequest request) {
		return this.transaction.execute((status) -> {
			PublicKeyCredentialUserEntity user = this.relyingParty.authenticate(request);
			// Verified: the flags are the authenticator's, signed with the assertion.
			AuthenticatorFlags flags = AuthenticatorFlags
				.of(request.getPublicKey().getResponse().getAuthenticatorData());
			this.jdbc.update(
					"update user_credentials set backup_state = ?,"
							+ " uv_initialized = case when ? then true else uv_initialized end where credential_id = ?",
					flags.backupState(), flags.userVerified(), request.getPublicKey().getRawId().toBase64UrlString());
			return user;
		});
	}

}
