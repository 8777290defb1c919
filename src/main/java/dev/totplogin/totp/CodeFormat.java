package dev.totplogin.totp;

/**
 * A six-digit code from the authenticator app as people type it: ASCII digits, spaces
 * allowed anywhere ("123 456"). The forms that take a code check it with these patterns.
 */
public final class CodeFormat {

	/** Six ASCII digits, with any spaces. */
	public static final String PATTERN = " *([0-9] *){6}";

	/** For Bean Validation: an empty field gets the "required" message alone. */
	public static final String PATTERN_OR_EMPTY = "(" + PATTERN + ")?";

	/** Longer than any code with a few spaces: refused before the pattern is tried. */
	public static final int MAX_LENGTH = 20;

	private CodeFormat() {
	}

	/**
	 * Whether the typed text has the form of an authenticator code (rather than, say, a
	 * recovery code).
	 */
	public static boolean looksLikeCode(String typed) {
		return typed != null && typed.length() <= MAX_LENGTH && typed.matches(PATTERN);
	}

}
