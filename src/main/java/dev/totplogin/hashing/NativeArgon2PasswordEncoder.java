package dev.totplogin.hashing;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Argon2id computed by libargon2, the reference implementation in C (through argon2-jvm).
 * It writes and reads the same PHC string as Spring Security's
 * {@code Argon2PasswordEncoder} ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}, a
 * 16-byte salt, a 32-byte hash, the password as UTF-8), so either verifies what the other
 * wrote. The password's copy in a {@code char[]} is wiped after each use. Unlike the Java
 * implementation its cost does not depend on how the JIT compiled the hashing loop, and
 * its 19 MiB of memory is allocated outside the Java heap and freed at once.
 */
final class NativeArgon2PasswordEncoder implements PasswordEncoder {

	private static final String PREFIX = "$argon2id$";

	private final Argon2 argon2;

	private final Argon2Properties parameters;

	private NativeArgon2PasswordEncoder(Argon2 argon2, Argon2Properties parameters) {
		this.argon2 = argon2;
		this.parameters = parameters;
	}

	/**
	 * Loads the native library and hashes once with it (at the lowest cost), so that a
	 * library that cannot load fails here, at start-up, and not at someone's sign-in.
	 * @throws LinkageError if the library cannot be loaded on this platform
	 */
	static NativeArgon2PasswordEncoder load(Argon2Properties parameters) {
		Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, 16, 32);
		char[] probe = "probe".toCharArray();
		if (!argon2.verify(argon2.hash(1, 8, 1, probe, StandardCharsets.UTF_8), probe, StandardCharsets.UTF_8)) {
			throw new IllegalStateException("libargon2 does not verify its own hash");
		}
		return new NativeArgon2PasswordEncoder(argon2, parameters);
	}

	@Override
	public String encode(CharSequence rawPassword) {
		char[] password = toChars(rawPassword);
		try {
			return this.argon2.hash(this.parameters.iterations(), this.parameters.memoryKib(),
					this.parameters.parallelism(), password, StandardCharsets.UTF_8);
		}
		finally {
			this.argon2.wipeArray(password);
		}
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		if (rawPassword == null || encodedPassword == null || !encodedPassword.startsWith(PREFIX)) {
			return false;
		}
		char[] password = toChars(rawPassword);
		try {
			return this.argon2.verify(encodedPassword, password, StandardCharsets.UTF_8);
		}
		catch (RuntimeException malformed) {
			// As Spring's encoder answers for a hash it cannot decode.
			return false;
		}
		finally {
			this.argon2.wipeArray(password);
		}
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		if (encodedPassword == null || !encodedPassword.startsWith(PREFIX)) {
			return false;
		}
		try {
			return this.argon2.needsRehash(encodedPassword, this.parameters.iterations(), this.parameters.memoryKib(),
					this.parameters.parallelism());
		}
		catch (RuntimeException malformed) {
			return false;
		}
	}

	private static char[] toChars(CharSequence raw) {
		CharBuffer buffer = CharBuffer.wrap(raw);
		char[] chars = new char[buffer.remaining()];
		buffer.get(chars);
		return chars;
	}

}
