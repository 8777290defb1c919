package dev.totplogin.totp;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.transaction.annotation.Transactional;

interface PendingAuthenticatorRepository extends Repository<PendingAuthenticator, Long> {

	PendingAuthenticator save(PendingAuthenticator pending);

	/**
	 * The session's own pending secret for the purpose, if it has one that has not
	 * expired.
	 */
	@Query("""
			select p from PendingAuthenticator p
			where p.accountId = :accountId and p.purpose = :purpose and p.sessionTokenHash = :sessionTokenHash
			  and p.createdAt > :notBefore
			order by p.id desc limit 1""")
	Optional<PendingAuthenticator> findOwn(long accountId, PendingAuthenticator.Purpose purpose,
			String sessionTokenHash, Instant notBefore);

	/**
	 * The account's pending secrets for the purpose that other sessions were shown before
	 * this session's own (id), and that have not expired: in practice a session that
	 * signed out (its token went with it) or another browser. Kept only to recognise
	 * their codes; never confirmed from here.
	 */
	@Query("""
			select p from PendingAuthenticator p
			where p.accountId = :accountId and p.purpose = :purpose and p.id < :ownId
			  and p.sessionTokenHash <> :sessionTokenHash and p.createdAt > :notBefore""")
	List<PendingAuthenticator> findEarlier(long accountId, PendingAuthenticator.Purpose purpose, long ownId,
			String sessionTokenHash, Instant notBefore);

	/**
	 * Claims a pending secret for its confirmation: 1 row for the one request that wins,
	 * 0 if it is gone.
	 */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("delete from PendingAuthenticator p where p.id = :id and p.createdAt > :notBefore")
	int claim(long id, Instant notBefore);

	/** Voids every pending secret of the account (a confirmation, an operator reset). */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("delete from PendingAuthenticator p where p.accountId = :accountId")
	int deleteByAccountId(long accountId);

	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("delete from PendingAuthenticator p where p.createdAt <= :notBefore")
	int deleteExpired(Instant notBefore);

	/** Pending secrets not encrypted with the current key (key rotation). */
	@Query("select p from PendingAuthenticator p where p.secret not like concat(:currentPrefix, '%')")
	List<PendingAuthenticator> findWithSecretsNotStartingWith(String currentPrefix);

	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update PendingAuthenticator p set p.secret = :replacement where p.id = :id and p.secret = :current")
	int replaceSecret(long id, String current, String replacement);

}
