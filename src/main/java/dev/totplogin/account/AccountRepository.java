package dev.totplogin.account;

import java.util.Optional;

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
	@Modifying(clearAutomatically = true)
	@Query("update Account a set a.passwordHash = :hash where a.id = :id")
	int updatePasswordHash(Long id, String hash);

	@Query("select a.sessionEpoch from Account a where a.id = :id")
	Optional<Integer> findSessionEpochById(Long id);

	/** Ends every session that signed in before now: they hold an older epoch. */
	@Transactional
	@Modifying(clearAutomatically = true)
	@Query("update Account a set a.sessionEpoch = a.sessionEpoch + 1 where a.id = :id")
	int advanceSessionEpoch(Long id);

}
