package dev.totplogin.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sign-in steps ({@code app.security.*}).
 *
 * @param pendingTimeout how long a session that passed the password step may take to enter its code
 * @param absoluteTimeout how long a sign-in lasts at most, however active the session
 * @param argon2 cost of the password hash
 * @param lockout brute-force limits
 * @param hashing how many password hashes may run and wait at once
 */
@ConfigurationProperties("app.security")
public record AuthenticationProperties(@DefaultValue("5m") Duration pendingTimeout,
		@DefaultValue("12h") Duration absoluteTimeout, @DefaultValue Argon2 argon2, @DefaultValue Lockout lockout,
		@DefaultValue Hashing hashing) {

	/**
	 * Bounds on password hashing under load.
	 *
	 * @param maxConcurrent hashes computed at once; 0 means one per CPU core
	 * @param maxQueued requests that may wait for a turn; beyond that, "busy" at once
	 * @param maxWait the longest a request waits for a turn before "busy"
	 */
	public record Hashing(@DefaultValue("0") int maxConcurrent, @DefaultValue("32") int maxQueued,
			@DefaultValue("2s") Duration maxWait) {

		int effectiveMaxConcurrent() {
			return (this.maxConcurrent > 0) ? this.maxConcurrent : Runtime.getRuntime().availableProcessors();
		}

	}

	/**
	 * Consecutive failures per account before a factor is locked, and for how long. NIST SP 800-63B §5.2.2 allows at
	 * most 100; these are far stricter.
	 *
	 * @param passwordThreshold wrong passwords in a row before password attempts are refused
	 * @param codeThreshold wrong codes (TOTP or recovery) in a row before the second factor is locked
	 * @param firstLock the first lock's length; each further lock doubles it
	 * @param maxLock the longest lock
	 */
	public record Lockout(@DefaultValue("10") int passwordThreshold, @DefaultValue("5") int codeThreshold,
			@DefaultValue("1m") Duration firstLock, @DefaultValue("15m") Duration maxLock) {
	}

	/**
	 * Argon2id parameters. The defaults are OWASP's minimum (19 MiB, 2 iterations, 1 lane); raising them re-hashes
	 * each password at its owner's next login.
	 */
	public record Argon2(@DefaultValue("19456") int memoryKib, @DefaultValue("2") int iterations,
			@DefaultValue("1") int parallelism) {
	}

}
