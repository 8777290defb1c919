package dev.totplogin.oidc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import dev.totplogin.crypto.Tokens;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * How client secrets are kept and checked: SHA-256, compared in constant time. Not the
 * application's Argon2: a client secret is a long random value the operator chose (at
 * least {@link #MIN_LENGTH} characters, checked at start-up), which a fast hash protects
 * as well, and a flood of wrong secrets at the token endpoint then costs no hashing
 * permit that a person's sign-in needs.
 */
final class ClientSecrets implements PasswordEncoder {

	/** 24 characters: over 128 bits for a random value of letters and digits. */
	static final int MIN_LENGTH = 24;

	private static final String PREFIX = "sha256:";

	@Override
	public String encode(CharSequence secret) {
		return PREFIX + Tokens.sha256(secret.toString());
	}

	@Override
	public boolean matches(CharSequence secret, String encoded) {
		if (secret == null || encoded == null || !encoded.startsWith(PREFIX)) {
			return false;
		}
		return MessageDigest.isEqual(encode(secret).getBytes(StandardCharsets.US_ASCII),
				encoded.getBytes(StandardCharsets.US_ASCII));
	}

}
