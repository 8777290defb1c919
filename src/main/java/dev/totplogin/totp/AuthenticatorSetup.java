package dev.totplogin.totp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.crypto.SecretCipher;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.totp.PendingAuthenticator.Purpose;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Setting up an authenticator: the first one at enrollment, and a new phone in place of
 * the current one. A secret being set up belongs to the session that asked for it (its
 * {@link SetupSession} token), is stored encrypted like the account's, and expires
 * unconfirmed after {@link #PENDING_TIMEOUT}; the first confirmation wins and voids every
 * other pending secret of the account. A session that signs out takes its token along, so
 * signing in again shows a new secret: the earlier ones are kept (encrypted) until they
 * expire only to tell the person, when they type one of their codes, that the key has
 * changed; they never confirm anything from another session.
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
	 * Whether this session's enrollment secret replaced one shown earlier to another
	 * session of the account (typically before signing out), which may still be in the
	 * person's app: the page says the key is new.
	 */
	public boolean enrollmentRestarted(long accountId, String sessionToken) {
		return restarted(accountId, Purpose.ENROLL, sessionToken);
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

	/** As {@link #enrollmentRestarted}, for the new phone's secret. */
	public boolean replacementRestarted(long accountId, String sessionToken) {
		return restarted(accountId, Purpose.REPLACE, sessionToken);
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
			return AttemptResult.of(AttemptResult.Status.WRONG);
		}
		String secret = decrypt(accountId, own.get().getSecret());
		OptionalLong step = this.codes.matchingStep(secret, code);
		if (step.isEmpty()) {
			boolean earlierKey = isOfEarlierKey(own.get(), code);
			if (purpose == Purpose.REPLACE) {
				return wrongReplacementCode(accountId, secret, code, earlierKey);
			}
			// Not a clock problem: no drift hint for it (and nothing counted, as for any
			// wrong code at enrollment).
			return earlierKey ? earlierKeyCode(-1) : TotpService.withClockOffset(
					AttemptResult.of(AttemptResult.Status.WRONG), this.codes.clockOffsetSteps(secret, code));
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
			return AttemptResult.of(AttemptResult.Status.REPLAYED);
		}
		this.audit.record(accountId, confirmedEvent);
		return AttemptResult.of(AttemptResult.Status.ACCEPTED);
	}

	/**
	 * A wrong code at the new phone's confirmation, refused by the current
	 * authenticator's check ({@link TotpService#refuseAtNewPhone}); with the new phone's
	 * clock offset unless it was the old phone's code, a code of an earlier new-phone
	 * key, or the account is now locked. A code of an earlier key still counts: it is a
	 * wrong code for this key, and the check of the current phone's code has run.
	 */
	private AttemptResult wrongReplacementCode(long accountId, String newSecret, String code, boolean earlierKey) {
		AttemptResult result = this.totp.refuseAtNewPhone(accountId, code);
		if (result.locked() || result.status() == AttemptResult.Status.OLD_AUTHENTICATOR) {
			return result;
		}
		return earlierKey ? earlierKeyCode(result.attemptsLeft())
				: TotpService.withClockOffset(result, this.codes.clockOffsetSteps(newSecret, code));
	}

	private static AttemptResult earlierKeyCode(int attemptsLeft) {
		return new AttemptResult(AttemptResult.Status.EARLIER_KEY, null, null, attemptsLeft);
	}

	/**
	 * Whether the code is one of a secret of the same purpose shown earlier to another
	 * session of the account and not yet expired.
	 */
	private boolean isOfEarlierKey(PendingAuthenticator own, String code) {
		return earlier(own).stream()
			.anyMatch((earlier) -> this.codes.matchingStep(decrypt(own.getAccountId(), earlier.getSecret()), code)
				.isPresent());
	}

	private boolean restarted(long accountId, Purpose purpose, String sessionToken) {
		return own(accountId, purpose, sessionToken).map((own) -> !earlier(own).isEmpty()).orElse(false);
	}

	private List<PendingAuthenticator> earlier(PendingAuthenticator own) {
		return this.pending.findEarlier(own.getAccountId(), own.getPurpose(), own.getId(), own.getSessionTokenHash(),
				this.clock.instant().minus(PENDING_TIMEOUT));
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
