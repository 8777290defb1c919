package dev.totplogin.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sign-in steps ({@code app.security.*}).
 *
 * @param pendingTimeout how long a session that passed the password step may take to enter its code
 * @param argon2 cost of the password hash
 */
@ConfigurationProperties("app.security")
public record AuthenticationProperties(@DefaultValue("5m") Duration pendingTimeout, @DefaultValue Argon2 argon2) {

	/**
	 * Argon2id parameters. The defaults are OWASP's minimum (19 MiB, 2 iterations, 1 lane); raising them re-hashes
	 * each password at its owner's next login.
	 */
	public record Argon2(@DefaultValue("19456") int memoryKib, @DefaultValue("2") int iterations,
			@DefaultValue("1") int parallelism) {
	}

}
