package dev.totplogin.recovery;

import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpSession;

import dev.totplogin.crypto.SecretCipher;

import org.springframework.stereotype.Component;

/**
 * Freshly issued recovery codes, held in the session only until the person confirms they
 * saved them: the page that shows them is the only place they ever appear in plain text.
 * In the session (a database row with Spring Session JDBC) they are encrypted with the
 * secret cipher, bound to the account and to this session's creation time (which a new
 * session id keeps): whoever reads the session table without the key reads no code, and
 * the value copied into another account's session does not decrypt (the creation time is
 * no secret: it only keeps a stale copy from being taken for this session's).
 */
@Component
public final class IssuedRecoveryCodes {

	private static final String ATTRIBUTE = IssuedRecoveryCodes.class.getName();

	private static final String RETURN_TO = ATTRIBUTE + ".RETURN_TO";

	private final SecretCipher cipher;

	IssuedRecoveryCodes(SecretCipher cipher) {
		this.cipher = cipher;
	}

	/** Codes of the first set: once saved, on to the home page. */
	public void keep(HttpSession session, long accountId, List<String> codes) {
		keep(session, accountId, codes, "/");
	}

	/**
	 * @param returnTo where the person goes once they are saved (e.g. back to
	 * {@code /account}, where they asked for them)
	 */
	public void keep(HttpSession session, long accountId, List<String> codes, String returnTo) {
		session.setAttribute(ATTRIBUTE, this.cipher.encrypt(String.join("\n", codes), context(session, accountId)));
		session.setAttribute(RETURN_TO, returnTo);
	}

	/** Whether codes issued in this session still wait to be confirmed saved. */
	public boolean waiting(HttpSession session) {
		return session != null && session.getAttribute(ATTRIBUTE) instanceof String;
	}

	String returnTo(HttpSession session) {
		return (session != null && session.getAttribute(RETURN_TO) instanceof String path) ? path : "/";
	}

	/** The codes, if this session holds some for this account. */
	Optional<List<String>> get(HttpSession session, long accountId) {
		if (session == null || !(session.getAttribute(ATTRIBUTE) instanceof String sealed)) {
			return Optional.empty();
		}
		try {
			return Optional.of(List.of(this.cipher.decrypt(sealed, context(session, accountId)).split("\n")));
		}
		catch (IllegalArgumentException ex) {
			// Another account's or session's, or under a key since removed: none to show.
			return Optional.empty();
		}
	}

	void forget(HttpSession session) {
		if (session != null) {
			session.removeAttribute(ATTRIBUTE);
			session.removeAttribute(RETURN_TO);
		}
	}

	private static String context(HttpSession session, long accountId) {
		return "recovery-codes:" + accountId + ":" + session.getCreationTime();
	}

}
