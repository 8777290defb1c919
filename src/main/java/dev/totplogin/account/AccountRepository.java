package dev.totplogin.account;

import java.time.Instant;
import java.util.Optional;

import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Slice;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.transaction.annotation.Transactional;

public interface AccountRepository extends Repository<Account, Long> {

	Optional<Account> findById(Long id);

	Optional<Account> findByUsernameKey(String usernameKey);

	boolean existsByUsernameKey(String usernameKey);

	Account saveAndFlush(Account account);

	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update Account a set a.passwordHash = :hash where a.id = :id")
	int updatePasswordHash(Long id, String hash);

	/** The account whose verified address this is (compared without case). */
	Optional<Account> findByEmailKey(String emailKey);

	/**
	 * An address as typed, not verified yet (registration): it receives nothing but its
	 * verification link.
	 */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update Account a set a.email = :email, a.emailVerifiedAt = null, a.emailKey = null where a.id = :id")
	int setUnverifiedEmail(Long id, String email);

	/**
	 * Makes the address the account's verified one. Fails with a data-integrity error if
	 * another account has verified the same address meanwhile.
	 */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update Account a set a.email = :email, a.emailKey = :emailKey, a.emailVerifiedAt = :now where a.id = :id")
	int verifyEmail(Long id, String email, String emailKey, Instant now);

	@Query("select a.sessionEpoch from Account a where a.id = :id")
	Optional<Integer> findSessionEpochById(Long id);

	/** Ends every session that signed in before now: they hold an older epoch. */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update Account a set a.sessionEpoch = a.sessionEpoch + 1 where a.id = :id")
	int advanceSessionEpoch(Long id);

	/** Newly issued recovery codes wait to be confirmed saved, or have been. */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update Account a set a.recoveryCodesSaved = :saved where a.id = :id")
	int setRecoveryCodesSaved(Long id, boolean saved);

	/**
	 * Deletes the account row; its recovery codes, attempt counters and audit rows go
	 * with it ({@code on delete cascade}).
	 */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("delete from Account a where a.id = :id")
	int deleteAccount(Long id);

	/**
	 * The admin console's search: accounts whose username or verified address starts with
	 * the text (both lower case, each a unique index), a page at a time, without a count.
	 */
	Slice<Account> findByUsernameKeyStartingWithOrEmailKeyStartingWithOrderByUsernameKey(String usernamePrefix,
			String emailPrefix, Pageable page);

	/** Read at every admin request: a revoked role holds no longer than that. */
	@Query("select a.admin from Account a where a.id = :id")
	Optional<Boolean> findAdminById(Long id);

	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update Account a set a.admin = :admin where a.id = :id and a.admin <> :admin")
	int setAdmin(Long id, boolean admin);

	/**
	 * Disables the account and ends its sessions in one statement (the raised epoch ends
	 * them on every instance); 0 if it was disabled already.
	 */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update Account a set a.disabledAt = :now, a.sessionEpoch = a.sessionEpoch + 1 "
			+ "where a.id = :id and a.disabledAt is null")
	int disable(Long id, Instant now);

	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update Account a set a.disabledAt = null where a.id = :id and a.disabledAt is not null")
	int enable(Long id);

	/** "End every session of every account": each account's epoch raised at once. */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update Account a set a.sessionEpoch = a.sessionEpoch + 1")
	int advanceEverySessionEpoch();

}
