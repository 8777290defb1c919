package dev.totplogin.hashing;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * libargon2 (through argon2-jvm) and Spring Security's Bouncy Castle encoder, at the
 * production parameters: each verifies what the other wrote, so a deployment can switch
 * either way without a stored hash going bad; and the fallback when the library cannot
 * load.
 */
class NativeArgon2Tests {

	private static final Argon2Properties OWASP = new Argon2Properties(19456, 2, 1,
			Argon2Properties.Implementation.NATIVE);

	private final PasswordEncoder nativeEncoder = NativeArgon2PasswordEncoder.load(OWASP);

	private final PasswordEncoder javaEncoder = new Argon2PasswordEncoder(16, 32, 1, 19456, 2);

	@Test
	void hashWhenWrittenByEitherImplementationThenTheOtherVerifiesIt() {
		for (String password : List.of("a perfectly long passphrase", "Grüße aus Köln – 日本語 🔑", " ")) {
			String byNative = this.nativeEncoder.encode(password);
			String byJava = this.javaEncoder.encode(password);
			assertThat(byNative)
				.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
			assertThat(this.javaEncoder.matches(password, byNative)).as(password).isTrue();
			assertThat(this.nativeEncoder.matches(password, byJava)).as(password).isTrue();
			assertThat(this.nativeEncoder.matches(password + "x", byJava)).isFalse();
			assertThat(this.javaEncoder.matches(password + "x", byNative)).isFalse();
		}
	}

	@Test
	void hashWhenMalformedOrOfAnotherAlgorithmThenNoMatchAndNoException() {
		for (String stored : List.of("", "$argon2id$", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
				"$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA", "$2a$10$abc")) {
			assertThat(this.nativeEncoder.matches("password", stored)).as(stored).isFalse();
			assertThat(this.nativeEncoder.upgradeEncoding(stored)).as(stored).isFalse();
		}
		assertThat(this.nativeEncoder.matches("password", null)).isFalse();
	}

	@Test
	void upgradeEncodingWhenTheStoredCostIsLowerThenTrue() {
		String cheap = new Argon2PasswordEncoder(16, 32, 1, 1024, 1).encode("password");
		assertThat(this.nativeEncoder.upgradeEncoding(cheap)).isTrue();
		assertThat(this.nativeEncoder.upgradeEncoding(this.javaEncoder.encode("password"))).isFalse();
	}

	@Test
	void implementationWhenTheNativeLibraryCannotLoadThenBouncyCastleWithTheSameHashes() {
		Argon2Implementation chosen = Argon2Implementation.choose(OWASP, (parameters) -> {
			throw new UnsatisfiedLinkError("no libargon2 for this platform");
		});
		assertThat(chosen.running()).isEqualTo(Argon2Properties.Implementation.JAVA);
		assertThat(chosen.encoder()
			.matches("a perfectly long passphrase", this.nativeEncoder.encode("a perfectly long passphrase"))).isTrue();
	}

	@Test
	void implementationWhenJavaIsConfiguredThenTheNativeLibraryIsNotEvenLoaded() {
		AtomicBoolean loaded = new AtomicBoolean();
		Argon2Implementation chosen = Argon2Implementation
			.choose(new Argon2Properties(19456, 2, 1, Argon2Properties.Implementation.JAVA), (parameters) -> {
				loaded.set(true);
				return this.nativeEncoder;
			});
		assertThat(chosen.running()).isEqualTo(Argon2Properties.Implementation.JAVA);
		assertThat(loaded).isFalse();
	}

}
