package dev.totplogin.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random bearer tokens (links, cookies, session markers) and the SHA-256 that is stored
 * in their place: a token has 256 bits from {@code SecureRandom}, so one unsalted hash is
 * enough to keep the database from holding anything usable.
 */
public final class Tokens {

	private static final SecureRandom random = new SecureRandom();

	private Tokens() {
	}

	/** {@code bytes} random bytes, base64url without padding. */
	public static String random(int bytes) {
		byte[] value = new byte[bytes];
		random.nextBytes(value);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
	}

	/** SHA-256 of the text's UTF-8 bytes, in lower-case hex. */
	public static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 unavailable", ex);
		}
	}

	/** Compares two hashes without telling, by its time, how much of them matched. */
	public static boolean sameHash(String a, String b) {
		return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
	}

}
