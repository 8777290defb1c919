package dev.totplogin.settings;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A current code from the authenticator app, as fresh proof for one action. */
record CodeProofForm(@NotBlank(message = "{code.required}") @Size(max = 64, message = "{code.format}") String code) {

	static CodeProofForm empty() {
		return new CodeProofForm("");
	}

}
