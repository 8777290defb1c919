package dev.totplogin.oidc;

import java.util.Date;
import java.util.List;

import dev.totplogin.security.AccountPrincipal;

import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;

/**
 * The session registry the authorization server asks, answering from the signed-in
 * session a principal carries instead of keeping HTTP session ids in memory: without it
 * Spring Security uses an in-memory registry on each instance, which names the user's
 * most recent session (on this instance) as the {@code sid} of any of their tokens
 * (spring-attic/spring-authorization-server #1547, #1225). The {@code sid} is ours
 * ({@link TokenClaims#sidOf}), the same on every instance, and the key that ends a
 * session here ends its clients' too.
 */
final class SignedInSessionRegistry implements SessionRegistry {

	@Override
	public List<Object> getAllPrincipals() {
		return List.of();
	}

	@Override
	public List<SessionInformation> getAllSessions(Object principal, boolean includeExpiredSessions) {
		if (principal instanceof AccountPrincipal account && account.signedInSession() != null) {
			return List.of(new SessionInformation(account, account.signedInSession(), new Date()));
		}
		return List.of();
	}

	/**
	 * Never an HTTP session: the logout endpoint then checks the token's subject only.
	 */
	@Override
	public SessionInformation getSessionInformation(String sessionId) {
		return null;
	}

	@Override
	public void refreshLastRequest(String sessionId) {
	}

	@Override
	public void registerNewSession(String sessionId, Object principal) {
	}

	@Override
	public void removeSessionInformation(String sessionId) {
	}

}
