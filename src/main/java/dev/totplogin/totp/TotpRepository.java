package dev.totplogin.totp;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.totplogin.account.Account;

import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The TOTP columns of an account. Every write is one conditional {@code UPDATE}: the
 * database decides which of several concurrent requests wins, so the rules hold across
 * sessions and across application instances.
 */
interface TotpRepository extends Repository<Account, Long> {

	Optional<Account> findById(Long id);

	/**
	 * The account's stored (encrypted) secret, {@code ""} if it has none; empty if there
	 * is no such account. A projection: a code's check needs nothing else of the row.
	 */
	@Query("select coalesce(a.totpSecret, '') from Account a where a.id = :id")
	Optional<String> findTotpSecretById(Long id);

	/**
	 * Accounts with a secret not encrypted with the current key. The database does the
	 * filtering: start-up must not load every enrolled account when there is nothing to
	 * rotate.
	 */
	@Query("select a from Account a where a.totpSecret is not null and a.totpSecret not like concat(:currentPrefix, '%')")
	List<Account> findWithSecretsNotStartingWith(String currentPrefix);

	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update Account a set a.totpSecret = :replacement where a.id = :id and a.totpSecret = :current")
	int replaceSecret(Long id, String current, String replacement);

	/**
	 * Makes a confirmed secret the account's first authenticator, counting the confirming
	 * code's step as used. Zero rows when the account has one already, or the step was
	 * already used.
	 */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("""
			update Account a set a.totpSecret = :secret, a.totpEnabledAt = :now, a.lastTotpStep = :step
			where a.id = :id and a.totpSecret is null and a.lastTotpStep < :step""")
	int enroll(Long id, String secret, long step, Instant now);

	/**
	 * Swaps in the new phone's secret. Steps only move forward: the new phone's code must
	 * not reopen steps the old one used.
	 */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("""
			update Account a set a.totpSecret = :secret, a.authenticatorChangedAt = :now,
			  a.lastTotpStep = case when a.lastTotpStep < :step then :step else a.lastTotpStep end
			where a.id = :id and a.totpSecret is not null""")
	int replace(Long id, String secret, long step, Instant now);

	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update Account a set a.totpSecret = null, a.totpEnabledAt = null, a.authenticatorChangedAt = null "
			+ "where a.id = :id")
	int reset(Long id);

	/**
	 * Records a code's time step as used (RFC 6238 §5.2): zero rows when this or a later
	 * step was used already, or when a clock-drift hint named the step
	 * ({@link HintedSteps}): one statement decides both, with no read before it on the
	 * way to a sign-in.
	 */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query(nativeQuery = true, value = """
			update account set last_totp_step = :step where id = :id and last_totp_step < :step
			  and not exists (select 1 from totp_hinted_step h where h.account_id = :id and h.step = :step)""")
	int useStep(Long id, long step);

}
