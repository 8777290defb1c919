package dev.totplogin.lockout;

import java.time.Instant;
import java.util.Optional;

import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every change is one conditional UPDATE, so concurrent attempts all count and only one
 * of them locks. A counter at the threshold always has a lock end: the attempt that
 * reaches it sets one while it is being checked.
 */
interface ThrottleRepository extends Repository<Throttle, Throttle.Key> {

	Optional<Throttle> findById(Throttle.Key key);

	Throttle save(Throttle throttle);

	/**
	 * Takes one attempt from the budget before the check is made: counted as a failure
	 * until a success resets it. Zero rows when the factor is locked or the budget is
	 * spent, so however many requests arrive at once, no more than {@code threshold}
	 * guesses are ever checked per lock period. The attempt that takes the last one sets
	 * {@code until} as the lock's end while it is checked: should it never report back (a
	 * crash), the lock still ends.
	 */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("""
			update Throttle t set t.failedAttempts = t.failedAttempts + 1,
			  t.lockedUntil = case when t.failedAttempts + 1 >= :threshold then :until else t.lockedUntil end
			where t.accountId = :accountId and t.budget = :budget and t.failedAttempts < :threshold
			  and (t.lockedUntil is null or t.lockedUntil <= :now)""")
	int reserveAttempt(long accountId, Budget budget, int threshold, Instant now, Instant until);

	/**
	 * A spent budget whose lock has ended without an answer (the last attempt was never
	 * reported back) starts again.
	 */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("""
			update Throttle t set t.failedAttempts = 0
			where t.accountId = :accountId and t.budget = :budget and t.failedAttempts >= :threshold
			  and (t.lockedUntil is null or t.lockedUntil <= :now)""")
	int restartExpiredBudget(long accountId, Budget budget, int threshold, Instant now);

	/**
	 * Locks the factor; only the request that saw {@code lockCount} wins when several
	 * cross the threshold at once.
	 */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("""
			update Throttle t set t.lockedUntil = :until, t.lockCount = t.lockCount + 1, t.failedAttempts = 0
			where t.accountId = :accountId and t.budget = :budget and t.failedAttempts >= :threshold
			  and t.lockCount = :lockCount""")
	int lock(long accountId, Budget budget, int threshold, int lockCount, Instant until);

	/**
	 * Gives back an attempt whose check never ran to an answer (e.g. the server was too
	 * busy to hash); the last attempt's provisional lock goes with it.
	 */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("""
			update Throttle t set t.failedAttempts = t.failedAttempts - 1,
			  t.lockedUntil = case when t.failedAttempts >= :threshold then null else t.lockedUntil end
			where t.accountId = :accountId and t.budget = :budget and t.failedAttempts > 0""")
	int release(long accountId, Budget budget, int threshold);

	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("""
			update Throttle t set t.failedAttempts = 0, t.lockCount = 0, t.lockedUntil = null
			where t.accountId = :accountId and t.budget = :budget
			  and (t.failedAttempts > 0 or t.lockCount > 0 or t.lockedUntil is not null)""")
	int reset(long accountId, Budget budget);

	/** The operator's way back in for a locked-out person. */
	@Transactional
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update Throttle t set t.failedAttempts = 0, t.lockCount = 0, t.lockedUntil = null where t.accountId = :accountId")
	int clear(long accountId);

}
