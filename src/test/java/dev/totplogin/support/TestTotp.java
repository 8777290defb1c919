package dev.totplogin.support;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.awaitility.Awaitility.await;

/**
 * An RFC 6238 / RFC 4226 implementation written from the RFCs with plain
 * {@code javax.crypto.Mac}, independent of the code under test (googleauth), to compute
 * the codes a phone would show.
 */
public final class TestTotp {

	private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

	private TestTotp() {
	}

	/** The 6-digit code of a Base32 secret at a time. */
	public static String code(String base32Secret, Instant time) {
		return code(base32Decode(base32Secret), step(time), 6);
	}

	/** The 30-second step a time falls in (RFC 6238's T with T0 = 0, X = 30). */
	public static long step(Instant time) {
		return time.getEpochSecond() / 30;
	}

	/**
	 * Until a code of a later step than {@code used} can be had (a code is accepted once,
	 * so a person who just used one waits for the next step, as with a phone).
	 */
	public static void awaitStepAfter(Clock clock, long used) {
		await().atMost(Duration.ofSeconds(31))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> step(clock.instant()) > used);
	}

	/**
	 * A code of a later step than {@code used} that a server on this clock accepts now,
	 * without waiting up to 30 s for the step to turn as {@link #awaitStepAfter} does:
	 * the current step's once that is later, else the next step's (a server accepts one
	 * step either side of its own, as for a phone a few seconds ahead).
	 */
	public static String codeAfter(String base32Secret, Clock clock, long used) {
		return code(base32Decode(base32Secret), Math.max(step(clock.instant()), used + 1), 6);
	}

	public static String code(byte[] key, long step, int digits) {
		try {
			Mac mac = Mac.getInstance("HmacSHA1");
			mac.init(new SecretKeySpec(key, "HmacSHA1"));
			byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
			int offset = hash[hash.length - 1] & 0x0f;
			int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
					| ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
			int otp = binary % (int) Math.pow(10, digits);
			return String.format("%0" + digits + "d", otp);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** RFC 4648 Base32, without padding, case-insensitive, spaces ignored. */
	public static byte[] base32Decode(String encoded) {
		String chars = encoded.replace(" ", "").replace("=", "").toUpperCase(Locale.ROOT);
		ByteBuffer out = ByteBuffer.allocate(chars.length() * 5 / 8);
		int buffer = 0;
		int bits = 0;
		for (char c : chars.toCharArray()) {
			int value = BASE32.indexOf(c);
			if (value < 0) {
				throw new IllegalArgumentException("not Base32: " + c);
			}
			buffer = (buffer << 5) | value;
			bits += 5;
			if (bits >= 8) {
				out.put((byte) (buffer >> (bits - 8)));
				bits -= 8;
			}
		}
		return out.array();
	}

	public static String base32Encode(byte[] data) {
		StringBuilder out = new StringBuilder();
		int buffer = 0;
		int bits = 0;
		for (byte b : data) {
			buffer = (buffer << 8) | (b & 0xff);
			bits += 8;
			while (bits >= 5) {
				out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
				bits -= 5;
			}
		}
		if (bits > 0) {
			out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
		}
		return out.toString();
	}

}
