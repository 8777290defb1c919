package dev.totplogin.totp;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A six-digit code as typed: ASCII digits, spaces allowed anywhere ("123 456"). */
record CodeForm(@NotBlank(message = "{code.required}") @Size(max = 20, message = "{code.format}")
		@Pattern(regexp = " *([0-9] *){6}", message = "{code.format}") String code) {

	static CodeForm empty() {
		return new CodeForm("");
	}

}
