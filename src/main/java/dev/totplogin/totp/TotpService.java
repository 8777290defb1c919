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

import org.springframework.stereotype.Service;

/**
 * Enrollment, verification and replacement of an account's authenticator, backed by the
 * account record. Secrets are stored encrypted ({@link SecretCipher}, bound to the
 * account) and decrypted only to compute codes.
 */
@Service
public class TotpService {

	/**
	 * How long a replacement authenticator started from /account may take to be
	 * confirmed.
	 */
	static final Duration REPLACEMENT_TIMEOUT = Duration.ofMinutes(10);

	private final TotpRepository authenticators;

	private final TotpCodes codes;

	private final SecretCipher cipher;

	private final Attempts attempts;

	private final AuditLog audit;

	private final Clock clock;

	TotpService(TotpRepository authenticators, TotpCodes codes, SecretCipher cipher, Attempts attempts, AuditLog audit,
			Clock clock) {
		this.authenticators = authenticators;
		this.codes = codes;
		this.cipher = cipher;
		this.attempts = attempts;
		this.audit = audit;
		this.clock = clock;
	}

	Account account(long accountId) {
		return this.authenticators.findById(accountId).orElseThrow();
	}

	/**
	 * The secret being enrolled: created at the first visit and kept until enrollment
	 * succeeds, so a reload never replaces a key the person has already scanned. Empty if
	 * the account already has an authenticator.
	 */
	public Optional<String> enrollmentSecret(long accountId) {
		Account account = account(accountId);
		if (account.isTotpEnabled()) {
			return Optional.empty();
		}
		if (account.getPendingTotpSecret() == null) {
			this.authenticators.beginEnrollment(accountId,
					this.cipher.encrypt(this.codes.newSecret(), context(accountId)));
			// Re-read: if two requests raced, both show the secret that won.
			account = account(accountId);
		}
		return Optional.ofNullable(account.getPendingTotpSecret()).map((stored) -> decrypt(accountId, stored));
	}

	/**
	 * Confirms the first authenticator with a code from it. Not throttled: the secret is
	 * on the person's screen.
	 */
	public Verdict confirmEnrollment(long accountId, String code) {
		String stored = account(accountId).getPendingTotpSecret();
		if (stored == null) {
			return Verdict.WRONG;
		}
		OptionalLong step = this.codes.matchingStep(decrypt(accountId, stored), code);
		if (step.isEmpty()) {
			return Verdict.WRONG;
		}
		if (this.authenticators.confirmEnrollment(accountId, stored, step.getAsLong(), this.clock.instant()) != 1) {
			return Verdict.REPLAYED;
		}
		this.audit.record(accountId, SecurityEventType.SECOND_FACTOR_ENABLED);
		return Verdict.ACCEPTED;
	}

	/**
	 * Checks a code of the account's authenticator: throttled, replay-protected, audited.
	 */
	public AttemptResult verify(long accountId, String code) {
		AttemptResult result = this.attempts.attempt(accountId, Factor.SECOND_FACTOR, null,
				() -> check(accountId, code));
		if (result.accepted()) {
			this.audit.record(accountId, SecurityEventType.CODE_ACCEPTED);
		}
		return result;
	}

	private Verdict check(long accountId, String code) {
		String stored = account(accountId).getTotpSecret();
		if (stored == null) {
			return Verdict.WRONG;
		}
		OptionalLong step = this.codes.matchingStep(decrypt(accountId, stored), code);
		if (step.isEmpty()) {
			return Verdict.WRONG;
		}
		return (this.authenticators.useStep(accountId, step.getAsLong()) == 1) ? Verdict.ACCEPTED : Verdict.REPLAYED;
	}

	/**
	 * Starts moving to a new phone (after fresh proof): a new secret waits beside the
	 * current one, which keeps working until a code from the new one confirms it.
	 */
	public void beginReplacement(long accountId) {
		this.authenticators.beginReplacement(accountId, this.cipher.encrypt(this.codes.newSecret(), context(accountId)),
				this.clock.instant());
	}

	/** The replacement secret, while one was started recently enough. */
	public Optional<String> replacementSecret(long accountId) {
		Account account = account(accountId);
		Instant started = account.getPendingTotpStartedAt();
		if (!account.isTotpEnabled() || account.getPendingTotpSecret() == null || started == null
				|| !this.clock.instant().isBefore(started.plus(REPLACEMENT_TIMEOUT))) {
			return Optional.empty();
		}
		return Optional.of(decrypt(accountId, account.getPendingTotpSecret()));
	}

	public Verdict confirmReplacement(long accountId, String code) {
		Account account = account(accountId);
		String stored = account.getPendingTotpSecret();
		if (replacementSecret(accountId).isEmpty()) {
			return Verdict.WRONG;
		}
		OptionalLong step = this.codes.matchingStep(decrypt(accountId, stored), code);
		if (step.isEmpty()) {
			return Verdict.WRONG;
		}
		if (this.authenticators.confirmReplacement(accountId, stored, step.getAsLong(), this.clock.instant()) != 1) {
			return Verdict.REPLAYED;
		}
		this.audit.record(accountId, SecurityEventType.AUTHENTICATOR_REPLACED);
		return Verdict.ACCEPTED;
	}

	/**
	 * Removes the authenticator (operator reset): the person enrolls again after their
	 * password.
	 */
	public void reset(long accountId) {
		this.authenticators.reset(accountId);
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
