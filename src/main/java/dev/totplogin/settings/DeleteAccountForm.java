package dev.totplogin.settings;

import java.io.Serializable;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.totplogin.totp.CodeFormat;

/**
 * Delete the account: the password, and a code (not needed with fresh proof).
 */
record DeleteAccountForm(
		@NotEmpty(message = "{currentPassword.required}") @Size(max = 1024,
				message = "{currentPassword.required}") String currentPassword,
		@Size(max = CodeFormat.MAX_LENGTH, message = "{code.format}") @Pattern(regexp = CodeFormat.PATTERN_OR_EMPTY,
				message = "{code.format}") String code)
		implements
			Serializable,
			CurrentPassword.Form {

	static DeleteAccountForm empty() {
		return new DeleteAccountForm("", "");
	}

}
