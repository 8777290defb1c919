package dev.totplogin.lockout;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on the password step beyond the per-account locks
 * ({@code app.security.password-limit.*}).
 *
 * @param perClient failed password steps per client address
 */
@ConfigurationProperties("app.security.password-limit")
public record PasswordLimitProperties(@DefaultValue PerClient perClient) {

	/**
	 * At most {@code failures} failed password steps from one client address (IPv6: its
	 * /64) per {@code window}; then its password steps are refused for {@code firstLock},
	 * doubling with each further lock up to {@code maxLock}.
	 *
	 * @param failures failed password steps allowed per window
	 * @param window the fixed window they are counted in
	 * @param firstLock the first lock's length
	 * @param maxLock the longest lock
	 */
	public record PerClient(@DefaultValue("30") int failures, @DefaultValue("10m") Duration window,
			@DefaultValue("5m") Duration firstLock, @DefaultValue("1h") Duration maxLock) {

		Duration lockDuration(int previousLocks) {
			Duration duration = this.firstLock.multipliedBy(1L << Math.min(previousLocks, 20));
			return (duration.compareTo(this.maxLock) > 0) ? this.maxLock : duration;
		}

	}

}
