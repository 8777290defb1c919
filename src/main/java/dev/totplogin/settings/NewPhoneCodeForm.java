package dev.totplogin.settings;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.totplogin.totp.CodeFormat;

/** The first code of the new phone, which confirms it. */
record NewPhoneCodeForm(
		@NotBlank(message = "{code.required}") @Size(max = CodeFormat.MAX_LENGTH, message = "{code.format}") @Pattern(
				regexp = CodeFormat.PATTERN_OR_EMPTY, message = "{code.format}") String code) {

	static NewPhoneCodeForm empty() {
		return new NewPhoneCodeForm("");
	}

}
