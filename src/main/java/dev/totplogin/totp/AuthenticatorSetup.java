package dev.totplogin.totp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.crypto.SecretCipher;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.lockout.Verdict;
import dev.totplogin.totp.PendingAuthenticator.Purpose;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Setting up an authenticator: the first one at enrollment, and a new phone in place of
 * the current one. A secret being set up belongs to the session that asked for it (its
 * {@link SetupSession} token), is stored encrypted like the account's, and expires
 * unconfirmed after {@link #PENDING_TIMEOUT}; the first confirmation wins and voids every
 * other pending secret of the account.
 */
@Service
public class AuthenticatorSetup {

	/** How long a secret being set up may wait for its confirming code. */
	static final Duration PENDING_TIMEOUT = Duration.ofMinutes(10);

	private final TotpRepository authenticators;

	private final PendingAuthenticatorRepository pending;

	private final TotpCodes codes;

	private final SecretCipher cipher;

	private final AuditLog audit;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private final TotpService totp;

	AuthenticatorSetup(TotpRepository authenticators, PendingAuthenticatorRepository pending, TotpCodes codes,
			SecretCipher cipher, AuditLog audit, TransactionTemplate transaction, Clock clock, TotpService totp) {
		this.authenticators = authenticators;
		this.pending = pending;
		this.codes = codes;
		this.cipher = cipher;
		this.audit = audit;
		this.transaction = transaction;
		this.clock = clock;
		this.totp = totp;
	}

	/**
	 * The secret this session is enrolling: made at its first visit and kept until
	 * enrollment succeeds or it expires, so a reload never replaces a key the person has
	 * already scanned. Empty if the account already has an authenticator.
	 */
	public Optional<String> enrollmentSecret(long accountId, String sessionToken) {
		if (hasAuthenticator(accountId)) {
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
		if (!hasAuthenticator(accountId)) {
			return Optional.empty();
		}
		return own(accountId, Purpose.REPLACE, sessionToken).map((p) -> decrypt(accountId, p.getSecret()));
	}

	public AttemptResult confirmReplacement(long accountId, String sessionToken, String code) {
		return confirm(accountId, Purpose.REPLACE, sessionToken, code, SecurityEventType.AUTHENTICATOR_REPLACED);
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
			return TotpService.withClockOffset(AttemptResult.of(Verdict.WRONG),
					this.codes.clockOffsetSteps(secret, code));
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
	 * A wrong code at the new phone's confirmation, refused by the current
	 * authenticator's check ({@link TotpService#refuseAtNewPhone}); with the new phone's
	 * clock offset unless it was the old phone's code or the account is now locked.
	 */
	private AttemptResult wrongReplacementCode(long accountId, String newSecret, String code) {
		AttemptResult result = this.totp.refuseAtNewPhone(accountId, code);
		return (result.locked() || result.status() == AttemptResult.Status.OLD_AUTHENTICATOR) ? result
				: TotpService.withClockOffset(result, this.codes.clockOffsetSteps(newSecret, code));
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
					this.cipher.encrypt(this.codes.newSecret(), TotpService.context(accountId)),
					SetupSession.hash(sessionToken), now));
		}));
	}

	private boolean hasAuthenticator(long accountId) {
		return this.authenticators.findById(accountId).orElseThrow().isTotpEnabled();
	}

	private String decrypt(long accountId, String stored) {
		return this.cipher.decrypt(stored, TotpService.context(accountId));
	}

}
