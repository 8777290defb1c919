package dev.totplogin.lockout;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.totplogin.crypto.Tokens;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fixed-window rate limits kept in the database (so they hold across instances): at most
 * {@code limit} hits per key and window. Each hit is one conditional UPDATE, or the
 * INSERT that opens the window; only the database decides, so concurrent requests never
 * get more than the limit between them. Keys are stored as their SHA-256, whatever their
 * length (an address may be 254 characters), and each statement runs in a transaction of
 * its own: a hit is counted even when the caller's transaction rolls back, and a lost
 * race for the INSERT (which aborts a PostgreSQL transaction) never takes the caller's
 * work with it.
 */
@Service
public class RateLimits {

	private final JdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	private final Clock clock;

	RateLimits(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
		this.jdbc = jdbc;
		this.ownTransaction = new TransactionTemplate(transactions);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.clock = clock;
	}

	/**
	 * Counts one hit for the key in the current window.
	 * @return false when the key has had {@code limit} hits in this window already
	 * (nothing is counted then)
	 */
	public boolean tryHit(String key, int limit, Duration window) {
		if (limit <= 0) {
			return false;
		}
		String stored = Tokens.sha256(key);
		Instant now = this.clock.instant();
		Timestamp start = Timestamp
			.from(Instant.ofEpochMilli(now.toEpochMilli() / window.toMillis() * window.toMillis()));
		if (hit(stored, start, limit)) {
			return true;
		}
		try {
			this.ownTransaction.executeWithoutResult((status) -> {
				this.jdbc.update("insert into rate_limit (limit_key, window_start, hits) values (?, ?, 1)", stored,
						start);
				// Opening a window is rare: a good moment to drop the windows long past.
				this.jdbc.update("delete from rate_limit where window_start < ?",
						Timestamp.from(now.minus(window.multipliedBy(2))));
			});
			return true;
		}
		catch (DuplicateKeyException ex) {
			// Another request opened the window first: count against it.
			return hit(stored, start, limit);
		}
	}

	private boolean hit(String key, Timestamp start, int limit) {
		return Boolean.TRUE.equals(this.ownTransaction.execute((status) -> this.jdbc.update(
				"update rate_limit set hits = hits + 1 where limit_key = ? and window_start = ? and hits < ?", key,
				start, limit) == 1));
	}

}
