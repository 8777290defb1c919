package dev.totplogin.settings;

import java.time.Clock;

import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.totp.TotpService;

import org.springframework.stereotype.Component;
import org.springframework.validation.BindingResult;

/**
 * Fresh proof inside a signed-in session for an account action (ASVS 6.2.2, 7.5.1): the
 * current password (field {@code currentPassword}) and a current code (field
 * {@code code}), each counted in the account's lockout, with the reason next to the field
 * when refused.
 */
@Component
class FreshProof {

	private final PasswordConfirmation passwordConfirmation;

	private final TotpService totp;

	private final Clock clock;

	FreshProof(PasswordConfirmation passwordConfirmation, TotpService totp, Clock clock) {
		this.passwordConfirmation = passwordConfirmation;
		this.totp = totp;
		this.clock = clock;
	}

	boolean password(long accountId, String password, BindingResult result) {
		AttemptResult attempt = this.passwordConfirmation.confirm(accountId, password);
		if (!attempt.accepted()) {
			result.rejectValue("currentPassword",
					attempt.locked() ? "currentPassword.locked" : "currentPassword.wrong");
		}
		return attempt.accepted();
	}

	/** A code of the form's {@code code} field, whose format the form has checked. */
	boolean code(long accountId, String code, BindingResult result) {
		AttemptResult attempt = this.totp.verify(accountId, code);
		if (!attempt.accepted()) {
			AttemptMessages.rejectCode(result, "code", attempt, this.clock);
		}
		return attempt.accepted();
	}

}
