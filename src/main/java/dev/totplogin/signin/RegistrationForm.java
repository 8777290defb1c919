package dev.totplogin.signin;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.totplogin.account.EmailFormat;

/**
 * What the sign-up form posts. Passwords are kept exactly as typed: no trimming, no
 * normalisation.
 */
record RegistrationForm(
		// An empty name gets the "required" message alone, not "3 to 64 characters" too.
		@NotBlank(message = "{username.required}") @Size(max = 64, message = "{username.size}") @Pattern(
				regexp = "(.{3,})?", message = "{username.size}") @Pattern(regexp = "[A-Za-z0-9._@-]*",
						message = "{username.characters}") String username,
		@NotEmpty(message = "{password.required}") String password,
		@NotEmpty(message = "{confirmPassword.required}") String confirmPassword,
		@Size(max = EmailFormat.MAX_LENGTH, message = "{email.format}") @Email(message = "{email.format}") @Pattern(
				regexp = "(" + EmailFormat.SINGLE_AT + ")?", message = "{email.format}") String email) {

	RegistrationForm {
		username = (username != null) ? username.strip() : null;
		email = (email != null && !email.isBlank()) ? email.strip() : null;
	}

	/** The address to put back into the form. */
	public String emailForDisplay() {
		return (this.email != null) ? this.email.replaceAll("\\p{Cntrl}", "") : "";
	}

	/**
	 * The username to put back into the form: without control characters, which are never
	 * valid anyway.
	 */
	public String usernameForDisplay() {
		return (this.username != null) ? this.username.replaceAll("\\p{Cntrl}", "") : "";
	}

	static RegistrationForm empty() {
		return new RegistrationForm("", "", "", null);
	}

}
