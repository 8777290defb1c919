package dev.totplogin.totp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import jakarta.servlet.http.HttpSession;

/**
 * The token by which a session finds the secret it is setting up: 256 random bits kept in
 * the session, of which the database holds only the SHA-256. Another session of the same
 * account, on any instance, has no token of its own for that secret and so never sees it.
 */
public final class SetupSession {

	private static final String ATTRIBUTE = SetupSession.class.getName();

	private static final SecureRandom random = new SecureRandom();

	private SetupSession() {
	}

	/** The session's token, made at its first use. */
	public static String tokenOf(HttpSession session) {
		Object token = session.getAttribute(ATTRIBUTE);
		if (token instanceof String existing) {
			return existing;
		}
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		String made = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		session.setAttribute(ATTRIBUTE, made);
		return made;
	}

	static String hash(String token) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 unavailable", ex);
		}
	}

}
