package dev.totplogin.signin;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.totplogin.account.EmailFormat;

/**
 * "Forgot password?": the address, trimmed. An empty one gets only "Enter an email
 * address" (the shape is checked on a non-empty one).
 */
record ForgotPasswordForm(
		@NotBlank(message = "{email.required}") @Size(max = EmailFormat.MAX_LENGTH, message = "{email.format}") @Email(
				message = "{email.format}") @Pattern(regexp = "(" + EmailFormat.SINGLE_AT + ")?",
						message = "{email.format}") String email) {

	ForgotPasswordForm {
		email = (email != null) ? email.strip() : null;
	}

	/**
	 * The address to put back into the form: without control characters, which are never
	 * valid anyway.
	 */
	public String emailForDisplay() {
		return (this.email != null) ? this.email.replaceAll("\\p{Cntrl}", "") : "";
	}

	static ForgotPasswordForm empty() {
		return new ForgotPasswordForm("");
	}

}
