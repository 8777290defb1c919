package dev.totplogin.recovery;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.crypto.SecretCipher;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.Budget;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ten single-use recovery codes per account, stored as HMAC-SHA256 under a server-side
 * pepper (derived from the encryption key, so a copy of the database alone cannot be
 * brute-forced), checked in microseconds. Using one counts against the same second-factor
 * lockout as a TOTP code.
 */
@Service
public class RecoveryCodes {

	static final int COUNT = 10;

	/** The audit detail of the set issued at enrollment. */
	public static final String FIRST_SET = "first set";

	private final RecoveryCodeRepository codes;

	private final SecretCipher cipher;

	private final Attempts attempts;

	private final AuditLog audit;

	private final Clock clock;

	private final AccountRepository accounts;

	private final SecureRandom random = new SecureRandom();

	RecoveryCodes(RecoveryCodeRepository codes, SecretCipher cipher, Attempts attempts, AuditLog audit, Clock clock,
			AccountRepository accounts) {
		this.codes = codes;
		this.cipher = cipher;
		this.attempts = attempts;
		this.audit = audit;
		this.clock = clock;
		this.accounts = accounts;
	}

	/**
	 * Replaces the account's codes with ten new ones: the only moment they exist in plain
	 * text.
	 */
	@Transactional
	public List<String> issue(long accountId) {
		return issue(accountId, null);
	}

	/**
	 * The first set, at enrollment: recorded as such, so that it is no "new codes were
	 * made" notification.
	 */
	@Transactional
	public List<String> issueFirst(long accountId) {
		return issue(accountId, FIRST_SET);
	}

	private List<String> issue(long accountId, String detail) {
		this.codes.deleteByAccountId(accountId);
		Instant now = this.clock.instant();
		List<String> issued = new ArrayList<>(COUNT);
		for (int i = 0; i < COUNT; i++) {
			String code = RecoveryCodeFormat.generate(this.random);
			String canonical = RecoveryCodeFormat.normalize(code).orElseThrow();
			this.codes.save(new RecoveryCode(accountId, this.cipher.keyedHash(canonical), now));
			issued.add(code);
		}
		this.audit.record(accountId, SecurityEventType.RECOVERY_CODES_REGENERATED, detail);
		this.accounts.setRecoveryCodesSaved(accountId, false);
		return issued;
	}

	/** The person confirmed saving the newest codes: the home page stops reminding. */
	@Transactional
	public void confirmedSaved(long accountId) {
		this.accounts.setRecoveryCodesSaved(accountId, true);
	}

	/**
	 * Signs in with a recovery code instead of a TOTP code: throttled, single use,
	 * audited.
	 */
	public AttemptResult use(long accountId, String typed) {
		AttemptResult result = this.attempts.attempt(accountId, Budget.SECOND_FACTOR, "recovery code",
				() -> check(accountId, typed));
		if (result.accepted()) {
			this.audit.record(accountId, SecurityEventType.RECOVERY_CODE_USED);
		}
		return result;
	}

	/** The check itself, outside the lockout: a keyed hash and one conditional UPDATE. */
	AttemptResult.Status check(long accountId, String typed) {
		Optional<String> canonical = RecoveryCodeFormat.normalize(typed);
		if (canonical.isEmpty()) {
			return AttemptResult.Status.WRONG;
		}
		int used = this.codes.use(accountId, this.cipher.keyedHashes(canonical.get()), this.clock.instant());
		return (used > 0) ? AttemptResult.Status.ACCEPTED : AttemptResult.Status.WRONG;
	}

	public RemainingRecoveryCodes remaining(long accountId) {
		return new RemainingRecoveryCodes(this.codes.countByAccountIdAndUsedAtIsNull(accountId));
	}

	@Transactional
	public void deleteAll(long accountId) {
		this.codes.deleteByAccountId(accountId);
	}

}
