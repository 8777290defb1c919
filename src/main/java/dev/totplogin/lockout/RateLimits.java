package dev.totplogin.lockout;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Fixed-window rate limits kept in the database (so they hold across instances): at most
 * {@code limit} hits per key and window. Each hit is one conditional UPDATE, or the
 * INSERT that opens the window; only the database decides, so concurrent requests never
 * get more than the limit between them.
 */
@Service
public class RateLimits {

	private final JdbcTemplate jdbc;

	private final Clock clock;

	RateLimits(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
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
		Instant now = this.clock.instant();
		Timestamp start = Timestamp
			.from(Instant.ofEpochMilli(now.toEpochMilli() / window.toMillis() * window.toMillis()));
		if (hit(key, start, limit)) {
			return true;
		}
		try {
			this.jdbc.update("insert into rate_limit (limit_key, window_start, hits) values (?, ?, 1)", key, start);
			// Opening a window is rare: a good moment to drop the windows long past.
			this.jdbc.update("delete from rate_limit where window_start < ?",
					Timestamp.from(now.minus(window.multipliedBy(2))));
			return true;
		}
		catch (DuplicateKeyException ex) {
			// Another request opened the window first: count against it.
			return hit(key, start, limit);
		}
	}

	private boolean hit(String key, Timestamp start, int limit) {
		return this.jdbc.update(
				"update rate_limit set hits = hits + 1 where limit_key = ? and window_start = ? and hits < ?", key,
				start, limit) == 1;
	}

}
