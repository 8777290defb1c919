package dev.totplogin.securitykey;

import java.util.regex.Pattern;

/** What a key's name may be: what its owner can tell apart in a list and in a mail. */
public final class SecurityKeyNames {

	public static final int MAX_LENGTH = 40;

	private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

	private SecurityKeyNames() {
	}

	public static boolean isValid(String name) {
		return name != null && !name.isBlank() && name.codePointCount(0, name.length()) <= MAX_LENGTH
				&& !CONTROL.matcher(name).find();
	}

}
