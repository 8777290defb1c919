package dev.totplogin.recovery;

import java.time.Clock;

import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.totp.CodeFormat;
import dev.totplogin.totp.TotpService;

import org.springframework.stereotype.Component;
import org.springframework.validation.BindingResult;

/**
 * The second factor where either kind will do (moving to a new phone when the old one may
 * be gone, a password reset): a code from the app, or else one recovery code, which is
 * used up. Both count towards the same lockout.
 */
@Component
public class SecondFactorProof {

	private final TotpService totp;

	private final RecoveryCodes recoveryCodes;

	private final Clock clock;

	SecondFactorProof(TotpService totp, RecoveryCodes recoveryCodes, Clock clock) {
		this.totp = totp;
		this.recoveryCodes = recoveryCodes;
		this.clock = clock;
	}

	/**
	 * Checks what was typed into {@code field}; when it is refused, puts the reason next
	 * to the field.
	 * @return whether the second factor is proven
	 */
	public boolean prove(long accountId, String typed, BindingResult result, String field) {
		boolean code = CodeFormat.looksLikeCode(typed);
		AttemptResult attempt = code ? this.totp.verify(accountId, typed) : this.recoveryCodes.use(accountId, typed);
		if (!attempt.accepted()) {
			AttemptMessages.rejectCode(result, field, attempt, this.clock,
					code ? AttemptMessages.Typed.CODE : AttemptMessages.Typed.RECOVERY_CODE);
		}
		return attempt.accepted();
	}

}
