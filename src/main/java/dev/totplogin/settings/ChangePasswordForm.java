package dev.totplogin.settings;

import java.io.Serializable;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.totplogin.totp.CodeFormat;

/**
 * Change password: the current password and a current code prove it is the owner, not
 * just their cookie.
 */
record ChangePasswordForm(
		@NotEmpty(message = "{currentPassword.required}") @Size(max = 1024,
				message = "{currentPassword.required}") String currentPassword,
		@Size(max = CodeFormat.MAX_LENGTH, message = "{code.format}") @Pattern(regexp = CodeFormat.PATTERN_OR_EMPTY,
				message = "{code.format}") String code,
		@NotEmpty(message = "{password.required}") String newPassword,
		@NotEmpty(message = "{confirmPassword.required}") String confirmPassword,
		Boolean endOtherSessions) implements Serializable, CurrentPassword.Form {

	/** What may be shown again after a failure: the choice, none of the passwords. */
	ChangePasswordForm withoutSecrets() {
		return new ChangePasswordForm("", "", "", "", this.endOtherSessions);
	}

	static ChangePasswordForm empty() {
		return new ChangePasswordForm("", "", "", "", true);
	}

	/** The same, with the checkbox as it was sent (an unticked one sends nothing). */
	ChangePasswordForm withEndOtherSessions(String sent) {
		return new ChangePasswordForm(this.currentPassword, this.code, this.newPassword, this.confirmPassword,
				"true".equals(sent));
	}

	/** An unticked checkbox sends nothing at all. */
	boolean shouldEndOtherSessions() {
		return Boolean.TRUE.equals(this.endOtherSessions);
	}

}
