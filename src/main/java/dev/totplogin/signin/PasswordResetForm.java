package dev.totplogin.signin;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

/**
 * The new password, and the second factor: a current code from the app or a recovery code
 * (not asked of an account that never finished enrollment).
 */
record PasswordResetForm(@Size(max = 64, message = "{code.format}") String code,
		@NotEmpty(message = "{password.required}") String newPassword,
		@NotEmpty(message = "{confirmPassword.required}") String confirmPassword) {

	static PasswordResetForm empty() {
		return new PasswordResetForm("", "", "");
	}

}
