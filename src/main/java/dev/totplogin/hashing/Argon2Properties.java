package dev.totplogin.hashing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Argon2id parameters of new password hashes ({@code app.security.argon2.*}). The
 * defaults are OWASP's minimum (19 MiB, 2 iterations, 1 lane); raising them re-hashes
 * each password at its owner's next login.
 *
 * @param memoryKib memory cost in KiB
 * @param iterations passes over the memory
 * @param parallelism lanes
 * @param implementation who computes it: {@code native} (the reference C library, falling
 * back to {@code java} if it cannot load) or {@code java} (Bouncy Castle)
 */
@ConfigurationProperties("app.security.argon2")
public record Argon2Properties(@DefaultValue("19456") int memoryKib, @DefaultValue("2") int iterations,
		@DefaultValue("1") int parallelism, @DefaultValue("native") Implementation implementation) {

	/** Who computes Argon2id. */
	public enum Implementation {

		/** libargon2, the reference implementation in C, through argon2-jvm and JNA. */
		NATIVE,

		/** Spring Security's {@code Argon2PasswordEncoder} on Bouncy Castle. */
		JAVA

	}

}
