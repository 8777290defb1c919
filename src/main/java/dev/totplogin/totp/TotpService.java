package dev.totplogin.totp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import dev.totplogin.account.Account;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.crypto.SecretCipher;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.Factor;
import dev.totplogin.lockout.Verdict;
import dev.totplogin.totp.PendingAuthenticator.Purpose;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Enrollment, verification and replacement of an account's authenticator. Secrets are
 * stored encrypted ({@link SecretCipher}, bound to the account) and decrypted only to
 * compute codes. A secret being set up belongs to the session that asked for it (its
 * {@link SetupSession} token) and expires unconfirmed after {@link #PENDING_TIMEOUT}; the
 * first confirmation wins and voids every other pending secret of the account.
 */
@Service
public class TotpService {

	/** How long a secret being set up may wait for its confirming code. */
	static final Duration PENDING_TIMEOUT = Duration.ofMinutes(10);

	private final TotpRepository authenticators;

	private final PendingAuthenticatorRepository pending;

	private final TotpCodes codes;

	private final SecretCipher cipher;

	private final Attempts attempts;

	private final AuditLog audit;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private final HintedSteps hintedSteps;

	TotpService(TotpRepository authenticators, PendingAuthenticatorRepository pending, TotpCodes codes,
			SecretCipher cipher, Attempts attempts, AuditLog audit, TransactionTemplate transaction, Clock clock,
			HintedSteps hintedSteps) {
		this.authenticators = authenticators;
		this.pending = pending;
		this.codes = codes;
		this.cipher = cipher;
		this.attempts = attempts;
		this.audit = audit;
		this.transaction = transaction;
		this.clock = clock;
		this.hintedSteps = hintedSteps;
	}

	/**
	 * The secret this session is enrolling: made at its first visit and kept until
	 * enrollment succeeds or it expires, so a reload never replaces a key the person has
	 * already scanned. Empty if the account already has an authenticator.
	 */
	public Optional<String> enrollmentSecret(long accountId, String sessionToken) {
		if (account(accountId).isTotpEnabled()) {
			return Optional.empty();
		}
		return Optional.of(decrypt(accountId, ownOrNew(accountId, Purpose.ENROLL, sessionToken).getSecret()));
	}

	/**
	 * Confirms the first authenticator with a code from it. Not throttled: the secret is
	 * on the person's screen.
	 */
	public AttemptResult confirmEnrollment(long accountId, String sessionToken, String code) {
		return confirm(accountId, Purpose.ENROLL, sessionToken, code, SecurityEventType.SECOND_FACTOR_ENABLED);
	}

	/**
	 * Checks a code of the account's authenticator: throttled, replay-protected, audited.
	 */
	public AttemptResult verify(long accountId, String code) {
		// What a wrong code would have matched at another time nearby: for the message
		// and the audit log.
		OptionalLong[] offset = { OptionalLong.empty() };
		AttemptResult result = this.attempts.attempt(accountId, Factor.SECOND_FACTOR, () -> {
			String stored = account(accountId).getTotpSecret();
			Verdict verdict = check(accountId, stored, code);
			if (verdict == Verdict.WRONG && stored != null) {
				long now = this.codes.currentStep();
				offset[0] = this.codes.clockOffsetSteps(decrypt(accountId, stored), code);
				if (offset[0].isPresent() && offset[0].getAsLong() > 0) {
					// Named in the message: it must never be accepted when its time
					// comes.
					this.hintedSteps.remember(accountId, now + offset[0].getAsLong(), now);
				}
			}
			return verdict;
		}, () -> offset[0].isPresent() ? clockNote(offset[0].getAsLong()) : null);
		if (result.accepted()) {
			this.audit.record(accountId, SecurityEventType.CODE_ACCEPTED);
		}
		return withClockOffset(result, offset[0]);
	}

	/**
	 * Starts moving to a new phone (after fresh proof): a new secret for this session
	 * waits beside the current one, which keeps working until a code from the new one
	 * confirms it. Started again while it is still valid, the same secret is kept, so the
	 * app gains no dead entries.
	 */
	public void beginReplacement(long accountId, String sessionToken) {
		ownOrNew(accountId, Purpose.REPLACE, sessionToken);
	}

	/** The new phone's secret of this session, while it is valid. */
	public Optional<String> replacementSecret(long accountId, String sessionToken) {
		if (!account(accountId).isTotpEnabled()) {
			return Optional.empty();
		}
		return own(accountId, Purpose.REPLACE, sessionToken).map((p) -> decrypt(accountId, p.getSecret()));
	}

	public AttemptResult confirmReplacement(long accountId, String sessionToken, String code) {
		return confirm(accountId, Purpose.REPLACE, sessionToken, code, SecurityEventType.AUTHENTICATOR_REPLACED);
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

	private Verdict check(long accountId, String stored, String code) {
		if (stored == null) {
			return Verdict.WRONG;
		}
		OptionalLong step = this.codes.matchingStep(decrypt(accountId, stored), code);
		if (step.isEmpty()) {
			return Verdict.WRONG;
		}
		if (this.hintedSteps.isHinted(accountId, step.getAsLong())) {
			return Verdict.REPLAYED;
		}
		return (this.authenticators.useStep(accountId, step.getAsLong()) == 1) ? Verdict.ACCEPTED : Verdict.REPLAYED;
	}

	/**
	 * One transaction: claim this session's pending secret (only one request can), make
	 * it the account's authenticator with the code's step as used, and void every other
	 * pending secret of the account.
	 */
	private AttemptResult confirm(long accountId, Purpose purpose, String sessionToken, String code,
			SecurityEventType confirmedEvent) {
		Optional<PendingAuthenticator> own = own(accountId, purpose, sessionToken);
		if (own.isEmpty()) {
			return AttemptResult.of(Verdict.WRONG);
		}
		String secret = decrypt(accountId, own.get().getSecret());
		OptionalLong step = this.codes.matchingStep(secret, code);
		if (step.isEmpty()) {
			if (purpose == Purpose.REPLACE) {
				return wrongReplacementCode(accountId, secret, code);
			}
			return withClockOffset(AttemptResult.of(Verdict.WRONG), this.codes.clockOffsetSteps(secret, code));
		}
		Instant now = this.clock.instant();
		boolean confirmed = Boolean.TRUE.equals(this.transaction.execute((status) -> {
			int changed = (this.pending.claim(own.get().getId(), now.minus(PENDING_TIMEOUT)) != 1) ? 0
					: (purpose == Purpose.ENROLL)
							? this.authenticators.enroll(accountId, own.get().getSecret(), step.getAsLong(), now)
							: this.authenticators.replace(accountId, own.get().getSecret(), step.getAsLong(), now);
			if (changed != 1) {
				status.setRollbackOnly();
				return false;
			}
			this.pending.deleteByAccountId(accountId);
			return true;
		}));
		if (!confirmed) {
			return AttemptResult.of(Verdict.REPLAYED);
		}
		this.audit.record(accountId, confirmedEvent);
		return AttemptResult.of(Verdict.ACCEPTED);
	}

	/**
	 * A wrong code at the new phone's confirmation: it counts in the account's
	 * second-factor lockout, because telling whether it is the current (old) phone's code
	 * would otherwise be a check of the current secret without any limit. Checked only,
	 * never used up: the old phone keeps working until the new one is confirmed.
	 */
	private AttemptResult wrongReplacementCode(long accountId, String newSecret, String code) {
		boolean[] oldPhone = { false };
		AttemptResult result = this.attempts.attempt(accountId, Factor.SECOND_FACTOR, () -> {
			oldPhone[0] = isCodeOfCurrentAuthenticator(accountId, code);
			return Verdict.WRONG;
		}, () -> oldPhone[0] ? "new-phone step: a code of the current phone" : "new-phone step");
		if (!result.locked() && oldPhone[0]) {
			return new AttemptResult(AttemptResult.Status.OLD_AUTHENTICATOR, null, null, result.attemptsLeft());
		}
		return result.locked() ? result : withClockOffset(result, this.codes.clockOffsetSteps(newSecret, code));
	}

	private boolean isCodeOfCurrentAuthenticator(long accountId, String code) {
		String current = account(accountId).getTotpSecret();
		return current != null && this.codes.matchingStep(decrypt(accountId, current), code).isPresent();
	}

	private static AttemptResult withClockOffset(AttemptResult result, OptionalLong offsetSteps) {
		return offsetSteps.isPresent()
				? result.withClockOffset(Duration.ofMillis(offsetSteps.getAsLong() * TotpCodes.STEP_MILLIS)) : result;
	}

	/** "phone clock about 3 minutes ahead", for the audit log. */
	private static String clockNote(long offsetSteps) {
		long seconds = Math.abs(offsetSteps) * TotpCodes.STEP_MILLIS / 1000;
		return "code of " + ((offsetSteps > 0) ? "+" : "-") + seconds + " s: phone clock " + seconds + " s "
				+ ((offsetSteps > 0) ? "ahead" : "behind");
	}

	private Optional<PendingAuthenticator> own(long accountId, Purpose purpose, String sessionToken) {
		return this.pending.findOwn(accountId, purpose, SetupSession.hash(sessionToken),
				this.clock.instant().minus(PENDING_TIMEOUT));
	}

	private PendingAuthenticator ownOrNew(long accountId, Purpose purpose, String sessionToken) {
		return own(accountId, purpose, sessionToken).orElseGet(() -> this.transaction.execute((status) -> {
			Instant now = this.clock.instant();
			this.pending.deleteExpired(now.minus(PENDING_TIMEOUT));
			return this.pending.save(new PendingAuthenticator(accountId, purpose,
					this.cipher.encrypt(this.codes.newSecret(), context(accountId)), SetupSession.hash(sessionToken),
					now));
		}));
	}

	private Account account(long accountId) {
		return this.authenticators.findById(accountId).orElseThrow();
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
