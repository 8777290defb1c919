package dev.totplogin.recovery;

import java.time.Instant;
import java.util.Collection;

import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.transaction.annotation.Transactional;

interface RecoveryCodeRepository extends Repository<RecoveryCode, Long> {

	RecoveryCode save(RecoveryCode code);

	long countByAccountIdAndUsedAtIsNull(Long accountId);

	@Modifying
	@Query("delete from RecoveryCode c where c.accountId = :accountId")
	int deleteByAccountId(Long accountId);

	/**
	 * Uses a code: one conditional UPDATE, so a code works once even when submitted twice
	 * at the same moment.
	 */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("""
			update RecoveryCode c set c.usedAt = :now
			where c.accountId = :accountId and c.codeHash in :hashes and c.usedAt is null""")
	int use(Long accountId, Collection<String> hashes, Instant now);

}
