package dev.totplogin.lockout;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Consecutive failures per account before a factor is locked, and for how long
 * ({@code app.security.lockout.*}). NIST SP 800-63B §5.2.2 allows at most 100; these are
 * far stricter.
 *
 * @param passwordThreshold wrong passwords in a row before password attempts are refused
 * @param codeThreshold wrong codes (TOTP or recovery) in a row before the second factor
 * is locked
 * @param firstLock the first lock's length; each further lock doubles it
 * @param maxLock the longest lock
 */
@ConfigurationProperties("app.security.lockout")
public record LockoutProperties(@DefaultValue("10") int passwordThreshold, @DefaultValue("5") int codeThreshold,
		@DefaultValue("1m") Duration firstLock, @DefaultValue("15m") Duration maxLock) {

	int threshold(Budget budget) {
		return (budget == Budget.PASSWORD) ? this.passwordThreshold : this.codeThreshold;
	}

	/** 1 min, 2, 4, 8, then the 15-minute cap (with the defaults). */
	Duration lockDuration(int previousLocks) {
		Duration duration = this.firstLock.multipliedBy(1L << Math.min(previousLocks, 20));
		return (duration.compareTo(this.maxLock) > 0) ? this.maxLock : duration;
	}

}
