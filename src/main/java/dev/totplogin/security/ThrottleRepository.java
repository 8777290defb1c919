package dev.totplogin.security;

import java.time.Instant;
import java.util.Optional;

import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Every change is one conditional UPDATE, so concurrent failures all count and only one of them locks. */
interface ThrottleRepository extends Repository<Throttle, Throttle.Key> {

	Optional<Throttle> findById(Throttle.Key key);

	Throttle save(Throttle throttle);

	/**
	 * Takes one attempt from the budget before the check is made: counted as a failure until a success resets it.
	 * Zero rows when the factor is locked or the budget is spent, so however many requests arrive at once, no more
	 * than {@code threshold} guesses are ever checked per lock period.
	 */
	@Transactional
	@Modifying(clearAutomatically = true)
	@Query("""
			update Throttle t set t.failedAttempts = t.failedAttempts + 1
			where t.accountId = :accountId and t.factor = :factor and t.failedAttempts < :threshold
			  and (t.lockedUntil is null or t.lockedUntil <= :now)""")
	int reserveAttempt(long accountId, LoginThrottle.Factor factor, int threshold, Instant now);

	/** Locks the factor; only the request that saw {@code lockCount} wins when several cross the threshold at once. */
	@Transactional
	@Modifying(clearAutomatically = true)
	@Query("""
			update Throttle t set t.lockedUntil = :until, t.lockCount = t.lockCount + 1, t.failedAttempts = 0
			where t.accountId = :accountId and t.factor = :factor and t.failedAttempts >= :threshold
			  and t.lockCount = :lockCount""")
	int lock(long accountId, LoginThrottle.Factor factor, int threshold, int lockCount, Instant until);

	/** Gives back an attempt whose check never ran to an answer (e.g. the server was too busy to hash). */
	@Transactional
	@Modifying(clearAutomatically = true)
	@Query("""
			update Throttle t set t.failedAttempts = t.failedAttempts - 1
			where t.accountId = :accountId and t.factor = :factor and t.failedAttempts > 0""")
	int release(long accountId, LoginThrottle.Factor factor);

	@Transactional
	@Modifying(clearAutomatically = true)
	@Query("""
			update Throttle t set t.failedAttempts = 0, t.lockCount = 0
			where t.accountId = :accountId and t.factor = :factor and (t.failedAttempts > 0 or t.lockCount > 0)""")
	int reset(long accountId, LoginThrottle.Factor factor);

	/** The operator's way back in for a locked-out person. */
	@Transactional
	@Modifying(clearAutomatically = true)
	@Query("update Throttle t set t.failedAttempts = 0, t.lockCount = 0, t.lockedUntil = null where t.accountId = :accountId")
	int clear(long accountId);

}
