package dev.totplogin.security;

/**
 * The second step of a sign-in: its pages, where a session that has proven only its
 * password is sent (the entry point of a missing second factor).
 */
public final class SecondStep {

	/** Enrollment: the authenticator is set up and its first code confirms it. */
	public static final String SETUP = "/setup-2fa";

	/** The code step of an enrolled account. */
	public static final String VERIFY = "/verify-2fa";

	/** Spring Security's endpoint for the challenge of a security-key sign-in. */
	public static final String KEY_OPTIONS = "/webauthn/authenticate/options";

	private SecondStep() {
	}

	/**
	 * The second step's page for an account that has (or has not yet) enrolled an
	 * authenticator.
	 */
	public static String pageOf(boolean enrolled) {
		return enrolled ? VERIFY : SETUP;
	}

}
