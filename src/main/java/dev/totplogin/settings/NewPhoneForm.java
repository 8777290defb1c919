package dev.totplogin.settings;

import java.io.Serializable;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

/**
 * Move to a new phone: the password, and a code from the old phone or one recovery code
 * (not needed with fresh proof).
 */
record NewPhoneForm(
		@NotEmpty(message = "{currentPassword.required}") @Size(max = 1024,
				message = "{currentPassword.required}") String currentPassword,
		@Size(max = 64, message = "{code.format}") String code) implements Serializable, CurrentPassword.Form {

	static NewPhoneForm empty() {
		return new NewPhoneForm("", "");
	}

}
