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
import dev.totplogin.security.CodeCheck;
import dev.totplogin.security.SecondFactorAttempts;

import org.springframework.stereotype.Service;

/**
 * Enrollment, verification and replacement of an account's authenticator, backed by the account record. Secrets are
 * stored encrypted ({@link SecretCipher}, bound to the account) and decrypted only to compute codes.
 */
@Service
public class TotpService {

	/** How long a replacement authenticator started from /account may take to be confirmed. */
	static final Duration REPLACEMENT_TIMEOUT = Duration.ofMinutes(10);

	private final TotpRepository accounts;

	private final TotpCodes codes;

	private final SecretCipher cipher;

	private final SecondFactorAttempts attempts;

	private final AuditLog audit;

	private final Clock clock;

	TotpService(TotpRepository accounts, TotpCodes codes, SecretCipher cipher, SecondFactorAttempts attempts,
			AuditLog audit, Clock clock) {
		this.accounts = accounts;
		this.codes = codes;
		this.cipher = cipher;
		this.attempts = attempts;
		this.audit = audit;
		this.clock = clock;
	}

	Account account(long accountId) {
		return this.accounts.findById(accountId).orElseThrow();
	}

	/**
	 * The secret being enrolled: created at the first visit and kept until enrollment succeeds, so a reload never
	 * replaces a key the person has already scanned. Empty if the account already has an authenticator.
	 */
	Optional<String> enrollmentSecret(long accountId) {
		Account account = account(accountId);
		if (account.isTotpEnabled()) {
			return Optional.empty();
		}
		if (account.getPendingTotpSecret() == null) {
			this.accounts.beginEnrollment(accountId, this.cipher.encrypt(this.codes.newSecret(), context(accountId)));
			// Re-read: if two requests raced, both show the secret that won.
			account = account(accountId);
		}
		return Optional.ofNullable(account.getPendingTotpSecret()).map((stored) -> decrypt(accountId, stored));
	}

	/** Confirms the first authenticator with a code from it. Not throttled: the secret is on the person's screen. */
	CodeCheck.Outcome confirmEnrollment(long accountId, String code) {
		String stored = account(accountId).getPendingTotpSecret();
		if (stored == null) {
			return CodeCheck.Outcome.INVALID;
		}
		OptionalLong step = this.codes.matchingStep(decrypt(accountId, stored), code);
		if (step.isEmpty()) {
			return CodeCheck.Outcome.INVALID;
		}
		if (this.accounts.confirmEnrollment(accountId, stored, step.getAsLong(), this.clock.instant()) != 1) {
			return CodeCheck.Outcome.REPLAYED;
		}
		this.audit.record(accountId, SecurityEventType.SECOND_FACTOR_ENABLED);
		return CodeCheck.Outcome.ACCEPTED;
	}

	/** Checks a code of the account's authenticator: throttled, replay-protected, audited. */
	public CodeCheck verify(long accountId, String code) {
		return this.attempts.attempt(accountId, () -> check(accountId, code), SecurityEventType.CODE_ACCEPTED);
	}

	private CodeCheck.Outcome check(long accountId, String code) {
		String stored = account(accountId).getTotpSecret();
		if (stored == null) {
			return CodeCheck.Outcome.INVALID;
		}
		OptionalLong step = this.codes.matchingStep(decrypt(accountId, stored), code);
		if (step.isEmpty()) {
			return CodeCheck.Outcome.INVALID;
		}
		return (this.accounts.useStep(accountId, step.getAsLong()) == 1) ? CodeCheck.Outcome.ACCEPTED
				: CodeCheck.Outcome.REPLAYED;
	}

	/**
	 * Starts moving to a new phone (after fresh proof): a new secret waits beside the current one, which keeps working
	 * until a code from the new one confirms it.
	 */
	public void beginReplacement(long accountId) {
		this.accounts.beginReplacement(accountId, this.cipher.encrypt(this.codes.newSecret(), context(accountId)),
				this.clock.instant());
	}

	/** The replacement secret, while one was started recently enough. */
	Optional<String> replacementSecret(long accountId) {
		Account account = account(accountId);
		Instant started = account.getPendingTotpStartedAt();
		if (!account.isTotpEnabled() || account.getPendingTotpSecret() == null || started == null
				|| !this.clock.instant().isBefore(started.plus(REPLACEMENT_TIMEOUT))) {
			return Optional.empty();
		}
		return Optional.of(decrypt(accountId, account.getPendingTotpSecret()));
	}

	CodeCheck.Outcome confirmReplacement(long accountId, String code) {
		Account account = account(accountId);
		String stored = account.getPendingTotpSecret();
		if (replacementSecret(accountId).isEmpty()) {
			return CodeCheck.Outcome.INVALID;
		}
		OptionalLong step = this.codes.matchingStep(decrypt(accountId, stored), code);
		if (step.isEmpty()) {
			return CodeCheck.Outcome.INVALID;
		}
		if (this.accounts.confirmReplacement(accountId, stored, step.getAsLong(), this.clock.instant()) != 1) {
			return CodeCheck.Outcome.REPLAYED;
		}
		this.audit.record(accountId, SecurityEventType.AUTHENTICATOR_REPLACED);
		return CodeCheck.Outcome.ACCEPTED;
	}

	/** Removes the authenticator (operator reset): the person enrolls again after their password. */
	public void reset(long accountId) {
		this.accounts.reset(accountId);
	}

	private String decrypt(long accountId, String stored) {
		return this.cipher.decrypt(stored, context(accountId));
	}

	/** Binds each ciphertext to its account: copied into another row, it does not decrypt. */
	static String context(long accountId) {
		return "totp:" + accountId;
	}

}
