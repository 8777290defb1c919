package dev.totplogin.settings;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.servlet.http.HttpSession;

import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.recovery.SecondFactorProof;
import dev.totplogin.security.RecentProof;
import dev.totplogin.totp.CodeFormat;
import dev.totplogin.totp.TotpService;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.validation.BindingResult;

/**
 * Fresh proof inside a signed-in session for an account action (ASVS 6.2.2, 7.5.1): the
 * current password (field {@code currentPassword}) and a current code (field
 * {@code code}), each counted in the account's lockout, with the reason next to the field
 * when refused.
 * <p>
 * Confirm once, then act (GitHub's "sudo mode"): a code accepted on the account page
 * counts as fresh proof for {@code app.security.fresh-proof} (10 minutes), and meanwhile
 * the code field may be left empty. Only a code or a security key does
 * ({@link RecentProof}): not the sign-in (a trusted browser may have stood in for it),
 * not a recovery code.
 */
@Component
class FreshProof {

	private static final String UNTIL = FreshProof.class.getName() + ".UNTIL";

	private final PasswordConfirmation passwordConfirmation;

	private final TotpService totp;

	private final SecondFactorProof secondFactor;

	private final Clock clock;

	private final RecentProof recentProof;

	FreshProof(PasswordConfirmation passwordConfirmation, TotpService totp, SecondFactorProof secondFactor, Clock clock,
			RecentProof recentProof) {
		this.passwordConfirmation = passwordConfirmation;
		this.totp = totp;
		this.secondFactor = secondFactor;
		this.clock = clock;
		this.recentProof = recentProof;
	}

	boolean password(long accountId, String password, BindingResult result) {
		AttemptResult attempt = this.passwordConfirmation.confirm(accountId, password);
		if (!attempt.accepted()) {
			result.rejectValue("currentPassword",
					attempt.locked() ? "currentPassword.locked" : "currentPassword.wrong");
		}
		return attempt.accepted();
	}

	/**
	 * With the form's own checks, before anything is verified: an empty {@code code}
	 * field is an error unless this session has fresh proof.
	 * @param requiredKey the message for the empty field
	 */
	void requireCode(String code, String requiredKey, BindingResult result, HttpSession session) {
		if (!StringUtils.hasText(code) && until(session).isEmpty() && !result.hasFieldErrors("code")) {
			result.rejectValue("code", requiredKey);
		}
	}

	/**
	 * A code of the form's {@code code} field, whose format the form has checked; an
	 * empty one is fresh proof still valid ({@link #requireCode} has refused it
	 * otherwise).
	 */
	boolean code(long accountId, String code, BindingResult result, HttpSession session) {
		if (!StringUtils.hasText(code)) {
			return until(session).isPresent();
		}
		AttemptResult attempt = this.totp.verify(accountId, code);
		if (!attempt.accepted()) {
			AttemptMessages.rejectCode(result, "code", attempt, this.clock);
			return false;
		}
		confirmed(session);
		return true;
	}

	/**
	 * A code from the app or one recovery code (the old phone may be gone); only a code
	 * from the app counts as fresh proof for what follows.
	 */
	boolean codeOrRecoveryCode(long accountId, String typed, BindingResult result, HttpSession session) {
		if (!StringUtils.hasText(typed)) {
			return until(session).isPresent();
		}
		if (!this.secondFactor.prove(accountId, typed, result, "code")) {
			return false;
		}
		if (CodeFormat.looksLikeCode(typed)) {
			confirmed(session);
		}
		return true;
	}

	/** Until when this session needs no code, if it has fresh proof now. */
	Optional<Instant> until(HttpSession session) {
		return this.recentProof.until(session);
	}

	private void confirmed(HttpSession session) {
		this.recentProof.proven(session);
	}

}
