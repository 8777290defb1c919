package dev.totplogin.signin;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.totplogin.totp.CodeFormat;

/** The code of the second step or of an enrollment, as typed. */
record CodeForm(
		@NotBlank(message = "{code.required}") @Size(max = CodeFormat.MAX_LENGTH, message = "{code.format}") @Pattern(
				regexp = CodeFormat.PATTERN_OR_EMPTY, message = "{code.format}") String code) {

	static CodeForm empty() {
		return new CodeForm("");
	}

}
