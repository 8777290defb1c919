package dev.totplogin.securitykey;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.totplogin.security.RecentProof;

import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.registration.HttpSessionPublicKeyCredentialCreationOptionsRepository;
import org.springframework.security.web.webauthn.registration.PublicKeyCredentialCreationOptionsRepository;
import org.springframework.stereotype.Component;

/**
 * Where Spring Security keeps the challenge of a key registration ({@code POST
 * /webauthn/register/options}, then {@code POST /webauthn/register}): in the session (so
 * in the database under Spring Session JDBC, and any instance can finish the ceremony),
 * and only while this session has fresh proof. Without it no challenge is kept, so the
 * registration that would answer it is refused: adding a key needs a code from the last
 * minutes, like every other change of the second factor.
 */
@Component
class SecurityKeyRegistrationGate implements PublicKeyCredentialCreationOptionsRepository {

	private final PublicKeyCredentialCreationOptionsRepository session = new HttpSessionPublicKeyCredentialCreationOptionsRepository();

	private final RecentProof recentProof;

	SecurityKeyRegistrationGate(RecentProof recentProof) {
		this.recentProof = recentProof;
	}

	@Override
	public void save(HttpServletRequest request, HttpServletResponse response,
			PublicKeyCredentialCreationOptions options) {
		this.session.save(request, response, fresh(request) ? options : null);
	}

	@Override
	public PublicKeyCredentialCreationOptions load(HttpServletRequest request) {
		return fresh(request) ? this.session.load(request) : null;
	}

	private boolean fresh(HttpServletRequest request) {
		return request.getSession(false) != null && this.recentProof.until(request.getSession(false)).isPresent();
	}

}
