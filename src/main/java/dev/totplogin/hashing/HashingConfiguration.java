package dev.totplogin.hashing;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

@Configuration(proxyBeanMethods = false)
class HashingConfiguration {

	private static final String ARGON2 = "argon2";

	/**
	 * Argon2id (OWASP parameters or stronger) for new hashes, bcrypt hashes from
	 * elsewhere still verify; never more hashes at once than the machine has cores (see
	 * {@link BoundedPasswordEncoder}).
	 */
	@Bean
	PasswordEncoder passwordEncoder(Argon2Properties argon2, HashingProperties hashing) {
		PasswordEncoder argon2Encoder = new Argon2PasswordEncoder(16, 32, argon2.parallelism(), argon2.memoryKib(),
				argon2.iterations());
		PasswordEncoder delegating = new DelegatingPasswordEncoder(ARGON2,
				Map.of(ARGON2, argon2Encoder, "bcrypt", new BCryptPasswordEncoder()));
		return new BoundedPasswordEncoder(delegating, hashing.effectiveMaxConcurrent(), hashing.maxQueued(),
				hashing.maxWait());
	}

}
