package dev.totplogin.settings;

import java.io.Serializable;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.totplogin.account.EmailFormat;
import dev.totplogin.totp.CodeFormat;

/** A new email address, with the current password and a code as fresh proof. */
record ChangeEmailForm(
		@NotEmpty(message = "{currentPassword.required}") @Size(max = 1024,
				message = "{currentPassword.required}") String currentPassword,
		@Size(max = CodeFormat.MAX_LENGTH, message = "{code.format}") @Pattern(regexp = CodeFormat.PATTERN_OR_EMPTY,
				message = "{code.format}") String code,
		@NotBlank(message = "{email.required}") @Size(max = EmailFormat.MAX_LENGTH, message = "{email.format}") @Email(
				message = "{email.format}") @Pattern(regexp = EmailFormat.SINGLE_AT,
						message = "{email.format}") String email)
		implements
			Serializable,
			CurrentPassword.Form {

	ChangeEmailForm {
		email = (email != null) ? email.strip() : null;
	}

	/**
	 * The address to put back into the form: without control characters, which are never
	 * valid anyway.
	 */
	public String emailForDisplay() {
		return (this.email != null) ? this.email.replaceAll("\\p{Cntrl}", "") : "";
	}

	/** What may be shown again after a failure: the address, not the password. */
	ChangeEmailForm withoutSecrets() {
		return new ChangeEmailForm("", "", emailForDisplay());
	}

	static ChangeEmailForm empty() {
		return new ChangeEmailForm("", "", "");
	}

}
