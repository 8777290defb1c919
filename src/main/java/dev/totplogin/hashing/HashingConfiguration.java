package dev.totplogin.hashing;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

@Configuration(proxyBeanMethods = false)
class HashingConfiguration {

	private static final String ARGON2 = "argon2";

	/** The native library, or Bouncy Castle if it cannot load; also in /actuator/info. */
	@Bean
	Argon2Implementation argon2Implementation(Argon2Properties argon2) {
		return Argon2Implementation.choose(argon2);
	}

	/** The encoder's places, for the metrics. */
	@Bean
	HashingLoad hashingLoad(HashingProperties hashing) {
		return new HashingLoad(hashing.effectiveMaxConcurrent(), hashing.maxQueued());
	}

	/**
	 * Argon2id (OWASP parameters or stronger) for new hashes, bcrypt hashes from
	 * elsewhere still verify; never more hashes at once than the machine has cores (see
	 * {@link BoundedPasswordEncoder}).
	 */
	@Bean
	PasswordEncoder passwordEncoder(Argon2Implementation argon2, HashingProperties hashing, HashingLoad load) {
		PasswordEncoder delegating = new DelegatingPasswordEncoder(ARGON2,
				Map.of(ARGON2, argon2.encoder(), "bcrypt", new BCryptPasswordEncoder()));
		return new BoundedPasswordEncoder(delegating, load, hashing.maxWait(), hashing.effectiveMaxPerClient(),
				hashing.effectiveMaxNewHashes());
	}

}
