package dev.totplogin.totp;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A six-digit code from the authenticator app as typed: ASCII digits, spaces allowed
 * anywhere ("123 456").
 */
public record CodeForm(@NotBlank(message = "{code.required}") @Size(max = 20,
		message = "{code.format}") @Pattern(regexp = CodeForm.FORMAT_OR_EMPTY, message = "{code.format}") String code) {

	/** Six ASCII digits, with any spaces. */
	public static final String FORMAT = " *([0-9] *){6}";

	/** For Bean Validation: an empty field gets the "required" message alone. */
	public static final String FORMAT_OR_EMPTY = "(" + FORMAT + ")?";

	public static CodeForm empty() {
		return new CodeForm("");
	}

	/**
	 * Whether the typed text has the form of an authenticator code (rather than, say, a
	 * recovery code).
	 */
	public static boolean looksLikeCode(String typed) {
		return typed != null && typed.length() <= 20 && typed.matches(FORMAT);
	}

}
