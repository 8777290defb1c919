package dev.totplogin.recovery;

import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpSession;

/**
 * Freshly issued recovery codes, held in the session only until the person confirms they
 * saved them: the page that shows them is the only place they ever appear in plain text.
 */
public final class IssuedRecoveryCodes {

	private static final String ATTRIBUTE = IssuedRecoveryCodes.class.getName();

	private IssuedRecoveryCodes() {
	}

	public static void keep(HttpSession session, List<String> codes) {
		session.setAttribute(ATTRIBUTE, List.copyOf(codes));
	}

	@SuppressWarnings("unchecked")
	static Optional<List<String>> get(HttpSession session) {
		return (session == null) ? Optional.empty()
				: Optional.ofNullable((List<String>) session.getAttribute(ATTRIBUTE));
	}

	static void forget(HttpSession session) {
		if (session != null) {
			session.removeAttribute(ATTRIBUTE);
		}
	}

}
