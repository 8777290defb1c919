package dev.totplogin.totp;

import java.time.Duration;
import java.util.OptionalLong;

import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.crypto.SecretCipher;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.Budget;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Checks codes of an account's authenticator: throttled ({@link Attempts}), replay
 * protected (each time step is used once, in one atomic update) and audited. Secrets are
 * stored encrypted ({@link SecretCipher}, bound to the account) and decrypted only to
 * compute codes. Setting an authenticator up is {@link AuthenticatorSetup}.
 */
@Service
public class TotpService {

	private final TotpRepository authenticators;

	private final PendingAuthenticatorRepository pending;

	private final TotpCodes codes;

	private final SecretCipher cipher;

	private final Attempts attempts;

	private final AuditLog audit;

	private final TransactionTemplate transaction;

	private final HintedSteps hintedSteps;

	TotpService(TotpRepository authenticators, PendingAuthenticatorRepository pending, TotpCodes codes,
			SecretCipher cipher, Attempts attempts, AuditLog audit, TransactionTemplate transaction,
			HintedSteps hintedSteps) {
		this.authenticators = authenticators;
		this.pending = pending;
		this.codes = codes;
		this.cipher = cipher;
		this.attempts = attempts;
		this.audit = audit;
		this.transaction = transaction;
		this.hintedSteps = hintedSteps;
	}

	/**
	 * Checks a code of the account's authenticator: throttled, replay-protected, audited.
	 */
	public AttemptResult verify(long accountId, String code) {
		// What a wrong code would have matched at another time nearby: for the message
		// and the audit log.
		OptionalLong[] offset = { OptionalLong.empty() };
		AttemptResult result = this.attempts.attempt(accountId, Budget.SECOND_FACTOR, () -> {
			String stored = storedSecret(accountId);
			AttemptResult.Status answer = check(accountId, stored, code);
			if (answer == AttemptResult.Status.WRONG && stored != null) {
				long now = this.codes.currentStep();
				offset[0] = this.codes.clockOffsetSteps(decrypt(accountId, stored), code);
				if (offset[0].isPresent() && offset[0].getAsLong() > 0) {
					// Named in the message: it must never be accepted when its time
					// comes.
					this.hintedSteps.remember(accountId, now + offset[0].getAsLong(), now);
				}
			}
			return answer;
		}, () -> offset[0].isPresent() ? clockNote(offset[0].getAsLong()) : null);
		if (result.accepted()) {
			this.audit.record(accountId, SecurityEventType.CODE_ACCEPTED);
		}
		return withClockOffset(result, offset[0]);
	}

	/**
	 * Removes the authenticator and every secret being set up (operator reset): the
	 * person enrolls again.
	 */
	public void reset(long accountId) {
		this.transaction.executeWithoutResult((status) -> {
			this.pending.deleteByAccountId(accountId);
			this.authenticators.reset(accountId);
		});
	}

	/**
	 * Deletes what the account keeps here besides its row's columns: secrets being set up
	 * and the steps of codes hinted at; in the caller's transaction (the account is being
	 * deleted).
	 */
	public void forget(long accountId) {
		this.pending.deleteByAccountId(accountId);
		this.hintedSteps.forget(accountId);
	}

	/**
	 * A wrong code at the new phone's confirmation: it counts in the account's
	 * second-factor lockout, because telling whether it is the current (old) phone's code
	 * would otherwise be a check of the current secret without any limit. Checked only,
	 * never used up: the old phone keeps working until the new one is confirmed.
	 */
	AttemptResult refuseAtNewPhone(long accountId, String code) {
		boolean[] oldPhone = { false };
		AttemptResult result = this.attempts.attempt(accountId, Budget.SECOND_FACTOR, () -> {
			String current = storedSecret(accountId);
			oldPhone[0] = current != null && this.codes.matchingStep(decrypt(accountId, current), code).isPresent();
			return AttemptResult.Status.WRONG;
		}, () -> oldPhone[0] ? "new-phone step: a code of the current phone" : "new-phone step");
		if (!result.locked() && oldPhone[0]) {
			return new AttemptResult(AttemptResult.Status.OLD_AUTHENTICATOR, null, null, result.attemptsLeft());
		}
		return result;
	}

	private AttemptResult.Status check(long accountId, String stored, String code) {
		if (stored == null) {
			return AttemptResult.Status.WRONG;
		}
		OptionalLong step = this.codes.matchingStep(decrypt(accountId, stored), code);
		if (step.isEmpty()) {
			return AttemptResult.Status.WRONG;
		}
		// A step named by a hint is refused as used, in the same statement.
		return (this.authenticators.useStep(accountId, step.getAsLong()) == 1) ? AttemptResult.Status.ACCEPTED
				: AttemptResult.Status.REPLAYED;
	}

	/**
	 * The result, with how far the phone's clock seems to be off if a nearby step
	 * matched.
	 */
	static AttemptResult withClockOffset(AttemptResult result, OptionalLong offsetSteps) {
		return offsetSteps.isPresent()
				? result.withClockOffset(Duration.ofMillis(offsetSteps.getAsLong() * TotpCodes.STEP_MILLIS)) : result;
	}

	/** "phone clock about 3 minutes ahead", for the audit log. */
	private static String clockNote(long offsetSteps) {
		long seconds = Math.abs(offsetSteps) * TotpCodes.STEP_MILLIS / 1000;
		return "code of " + ((offsetSteps > 0) ? "+" : "-") + seconds + " s: phone clock " + seconds + " s "
				+ ((offsetSteps > 0) ? "ahead" : "behind");
	}

	/** The stored secret, or null if the account has none. */
	private String storedSecret(long accountId) {
		String stored = this.authenticators.findTotpSecretById(accountId).orElseThrow();
		return stored.isEmpty() ? null : stored;
	}

	private String decrypt(long accountId, String stored) {
		return this.cipher.decrypt(stored, context(accountId));
	}

	/**
	 * Binds each ciphertext to its account: copied into another row, it does not decrypt.
	 */
	static String context(long accountId) {
		return "totp:" + accountId;
	}

}
