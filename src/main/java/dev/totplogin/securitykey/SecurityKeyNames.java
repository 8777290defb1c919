package dev.totplogin.securitykey;

import java.util.regex.Pattern;

/** What a key's name may be: what its owner can tell apart in a list and in a mail. */
public final class SecurityKeyNames {

	public static final int MAX_LENGTH = 40;

	/** Control characters, and format characters such as a right-to-left override. */
	private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cntrl}\\p{Cf}]");

	private SecurityKeyNames() {
	}

	public static boolean isValid(String name) {
		return name != null && !name.isBlank() && name.codePointCount(0, name.length()) <= MAX_LENGTH
				&& !INVISIBLE.matcher(name).find();
	}

}
