package dev.totplogin.signin;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A recovery code as typed: case, dashes and spaces do not matter. */
record RecoveryCodeForm(@NotBlank(message = "{recoveryCode.required}") @Size(max = 64,
		message = "{recoveryCode.invalid}") String recoveryCode) {

	static RecoveryCodeForm empty() {
		return new RecoveryCodeForm("");
	}

}
