package dev.totplogin.hashing;

import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The Argon2id encoder that runs, and which one it is: the native library if it is
 * configured and loads, else Bouncy Castle (with one warning line when native was asked
 * for). Said once at start-up, and in {@code /actuator/info}.
 */
final class Argon2Implementation implements InfoContributor {

	private static final Logger log = LoggerFactory.getLogger(Argon2Implementation.class);

	private final PasswordEncoder encoder;

	private final Argon2Properties.Implementation running;

	private Argon2Implementation(PasswordEncoder encoder, Argon2Properties.Implementation running) {
		this.encoder = encoder;
		this.running = running;
	}

	static Argon2Implementation choose(Argon2Properties parameters) {
		return choose(parameters, NativeArgon2PasswordEncoder::load);
	}

	/**
	 * @param nativeLoader how the native encoder is loaded (a test makes it fail)
	 */
	static Argon2Implementation choose(Argon2Properties parameters,
			Function<Argon2Properties, PasswordEncoder> nativeLoader) {
		if (parameters.implementation() == Argon2Properties.Implementation.NATIVE) {
			try {
				Argon2Implementation chosen = new Argon2Implementation(nativeLoader.apply(parameters),
						Argon2Properties.Implementation.NATIVE);
				log.info("Password hashing: Argon2id m={} KiB, t={}, p={} by libargon2 (native)",
						parameters.memoryKib(), parameters.iterations(), parameters.parallelism());
				return chosen;
			}
			catch (LinkageError | RuntimeException ex) {
				log.warn("Password hashing: libargon2 could not be loaded ({}); using Bouncy Castle instead, with "
						+ "the same hashes", ex.toString());
			}
		}
		else {
			log.info("Password hashing: Argon2id m={} KiB, t={}, p={} by Bouncy Castle (java)", parameters.memoryKib(),
					parameters.iterations(), parameters.parallelism());
		}
		return new Argon2Implementation(new Argon2PasswordEncoder(16, 32, parameters.parallelism(),
				parameters.memoryKib(), parameters.iterations()), Argon2Properties.Implementation.JAVA);
	}

	PasswordEncoder encoder() {
		return this.encoder;
	}

	Argon2Properties.Implementation running() {
		return this.running;
	}

	@Override
	public void contribute(Info.Builder builder) {
		builder.withDetail("passwordHashing",
				Map.of("algorithm", "argon2id", "implementation", this.running.name().toLowerCase()));
	}

}
