package dev.totplogin.lockout;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.crypto.Tokens;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Failed password steps per client address, the other side of the per-account locks: a
 * client that sprays passwords over many accounts (one guess each, so no account ever
 * locks) is refused for a while once it has failed
 * {@link PasswordLimitProperties.PerClient#failures} times in a window, doubling with
 * each further lock. A refused step is not checked at all (no hash, no account budget
 * touched), so a right password from a locked client counts nothing against its account.
 * <p>
 * The same shape as {@link Attempts}, in a table every instance shares: a step is
 * reserved <em>before</em> the check by one conditional UPDATE (however many arrive at
 * once, no more than the limit are ever checked), a success or a check without an answer
 * ("busy") gives it back, and only the request that wins the conditional lock records it,
 * so the audit log has one line per lock, not one per request.
 */
@Service
public class ClientPasswordLimit {

	private final JdbcTemplate jdbc;

	private final PasswordLimitProperties.PerClient limit;

	private final AuditLog audit;

	private final Clock clock;

	/** Steps refused unchecked since start: no audit line each, so counted here. */
	private final AtomicLong refused = new AtomicLong();

	ClientPasswordLimit(JdbcTemplate jdbc, PasswordLimitProperties properties, AuditLog audit, Clock clock) {
		this.jdbc = jdbc;
		this.limit = properties.perClient();
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Takes one password step from the client's budget.
	 * @param client the {@code ClientAddress} key
	 * @return false when the client is locked or its budget is spent: refuse the step
	 * unchecked
	 */
	public boolean reserve(String client) {
		if (this.limit.failures() <= 0) {
			return true;
		}
		boolean reserved = tryReserve(client);
		if (!reserved) {
			this.refused.incrementAndGet();
		}
		return reserved;
	}

	/**
	 * Password steps refused since start because their client was locked or had spent its
	 * budget (for the metrics).
	 */
	public long refusedSteps() {
		return this.refused.get();
	}

	private boolean tryReserve(String client) {
		String key = Tokens.sha256(client);
		Instant now = this.clock.instant();
		if (take(key, now)) {
			return true;
		}
		// No row yet, or the client is locked: only the first case inserts, so a locked
		// client's requests cost one UPDATE and one INSERT that does nothing, never a
		// failed INSERT (an error in the database's log) each.
		try {
			if (this.jdbc.update(
					"insert into client_throttle (client_key, window_start, failures, lock_count, locked_until) "
							+ "select cast(? as varchar(64)), cast(? as timestamp with time zone), 1, 0, "
							+ "cast(? as timestamp with time zone) from (values (0)) as one (x) "
							+ "where not exists (select 1 from client_throttle where client_key = ?)",
					key, Timestamp.from(now), (this.limit.failures() == 1) ? provisionalLock(now) : null, key) == 0) {
				return false;
			}
		}
		catch (DuplicateKeyException ex) {
			// Another request opened the row between the check and the insert: take
			// from it.
			return take(key, now);
		}
		// Opening a row is rare: a good moment to drop the rows quiet for a day.
		Timestamp dayAgo = Timestamp.from(now.minus(Duration.ofDays(1)));
		this.jdbc.update(
				"delete from client_throttle where window_start < ? and (locked_until is null or locked_until < ?)",
				dayAgo, dayAgo);
		return true;
	}

	/** The step was checked and passed, or never got an answer: it costs nothing. */
	public void giveBack(String client) {
		if (this.limit.failures() <= 0) {
			return;
		}
		// At the limit, the lock is still the provisional one of the last reservation
		// (a real lock starts the count again): it goes with it.
		this.jdbc.update("update client_throttle set failures = failures - 1, "
				+ "locked_until = case when failures >= ? then null else locked_until end "
				+ "where client_key = ? and failures > 0", this.limit.failures(), Tokens.sha256(client));
	}

	/** The step failed: counted; the failure that spends the budget locks the client. */
	public void failed(String client) {
		if (this.limit.failures() <= 0) {
			return;
		}
		String key = Tokens.sha256(client);
		List<int[]> rows = this.jdbc.query("select failures, lock_count from client_throttle where client_key = ?",
				(row, n) -> new int[] { row.getInt(1), row.getInt(2) }, key);
		if (rows.isEmpty() || rows.get(0)[0] < this.limit.failures()) {
			return;
		}
		int lockCount = rows.get(0)[1];
		Instant until = this.clock.instant().plus(this.limit.lockDuration(lockCount));
		// Only the request that saw this lock count wins when several cross the limit.
		if (this.jdbc.update(
				"update client_throttle set locked_until = ?, lock_count = lock_count + 1, failures = 0 "
						+ "where client_key = ? and failures >= ? and lock_count = ?",
				Timestamp.from(until), key, this.limit.failures(), lockCount) == 1) {
			this.audit.record(null, SecurityEventType.CLIENT_LOCKED,
					"password steps refused until " + until + " (" + this.limit.failures() + " failed)");
		}
	}

	private boolean take(String key, Instant now) {
		Timestamp at = Timestamp.from(now);
		Timestamp windowOver = Timestamp.from(now.minus(this.limit.window()));
		int limit = this.limit.failures();
		// A window that is over starts again at one; the reservation that reaches the
		// limit sets a provisional lock, so that a check that never reports back (a
		// crash) cannot leave the client locked for good, nor unlocked with a spent
		// budget.
		return this.jdbc.update("""
				update client_throttle set
				  failures = case when window_start <= ? then 1 else failures + 1 end,
				  locked_until = case when (case when window_start <= ? then 1 else failures + 1 end) >= ?
				    then ? else locked_until end,
				  window_start = case when window_start <= ? then ? else window_start end
				where client_key = ? and (locked_until is null or locked_until <= ?)
				  and (window_start <= ? or failures < ?)""", windowOver, windowOver, limit, provisionalLock(now),
				windowOver, at, key, at, windowOver, limit) == 1;
	}

	private Timestamp provisionalLock(Instant now) {
		return Timestamp.from(now.plus(this.limit.firstLock()));
	}

}
