package dev.totplogin.totp;

import jakarta.servlet.http.HttpSession;

import dev.totplogin.crypto.Tokens;

/**
 * The token by which a session finds the secret it is setting up: 256 random bits kept in
 * the session, of which the database holds only the SHA-256. Another session of the same
 * account, on any instance, has no token of its own for that secret and so never sees it.
 */
public final class SetupSession {

	private static final String ATTRIBUTE = SetupSession.class.getName();

	private SetupSession() {
	}

	static String hash(String token) {
		return Tokens.sha256(token);
	}

	/** The session's token, made at its first use. */
	public static String tokenOf(HttpSession session) {
		Object token = session.getAttribute(ATTRIBUTE);
		if (token instanceof String existing) {
			return existing;
		}
		String made = Tokens.random(32);
		session.setAttribute(ATTRIBUTE, made);
		return made;
	}

}
