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

	private static final String RETURN_TO = ATTRIBUTE + ".RETURN_TO";

	/** Codes of the first set: once saved, on to the home page. */
	public static void keep(HttpSession session, List<String> codes) {
		keep(session, codes, "/");
	}

	/**
	 * @param returnTo where the person goes once they are saved (e.g. back to
	 * {@code /account}, where they asked for them)
	 */
	public static void keep(HttpSession session, List<String> codes, String returnTo) {
		session.setAttribute(ATTRIBUTE, List.copyOf(codes));
		session.setAttribute(RETURN_TO, returnTo);
	}

	/** Whether codes issued in this session still wait to be confirmed saved. */
	public static boolean waiting(HttpSession session) {
		return get(session).isPresent();
	}

	static String returnTo(HttpSession session) {
		return (session != null && session.getAttribute(RETURN_TO) instanceof String path) ? path : "/";
	}

	@SuppressWarnings("unchecked")
	static Optional<List<String>> get(HttpSession session) {
		return (session == null) ? Optional.empty()
				: Optional.ofNullable((List<String>) session.getAttribute(ATTRIBUTE));
	}

	static void forget(HttpSession session) {
		if (session != null) {
			session.removeAttribute(ATTRIBUTE);
			session.removeAttribute(RETURN_TO);
		}
	}

}
