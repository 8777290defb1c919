package dev.totplogin.totp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.OptionalLong;

import com.warrenstrange.googleauth.GoogleAuthenticator;
import com.warrenstrange.googleauth.GoogleAuthenticatorConfig;
import com.warrenstrange.googleauth.HmacHashFunction;
import com.warrenstrange.googleauth.KeyRepresentation;

import org.springframework.stereotype.Component;

/**
 * RFC 6238 TOTP as Google Authenticator does it: SHA-1, 6 digits, 30-second steps, on a
 * 160-bit secret from {@code SecureRandom}. Codes of the current step and one step either
 * side are accepted (RFC 6238 §5.2).
 * <p>
 * googleauth's own {@code authorize} is not used: it refuses a genuine {@code 000000} and
 * does not say which step matched, which replay protection needs. Every code of the
 * window is computed and compared in constant time.
 */
@Component
class TotpCodes {

	static final int DIGITS = 6;

	static final long STEP_MILLIS = 30_000;

	/** Steps accepted on either side of the current one. */
	static final int WINDOW = 1;

	/**
	 * How far (in steps, either side: ten minutes) a refused code is looked up to tell a
	 * person that their phone's clock is off.
	 */
	static final int DRIFT_HINT_STEPS = 20;

	private static final int SECRET_BITS = 160;

	private final GoogleAuthenticator authenticator;

	private final Clock clock;

	TotpCodes(Clock clock) {
		this.clock = clock;
		this.authenticator = new GoogleAuthenticator(new GoogleAuthenticatorConfig.GoogleAuthenticatorConfigBuilder()
			.setHmacHashFunction(HmacHashFunction.HmacSHA1)
			.setCodeDigits(DIGITS)
			.setTimeStepSizeInMillis(STEP_MILLIS)
			.setWindowSize(2 * WINDOW + 1)
			.setSecretBits(SECRET_BITS)
			.setKeyRepresentation(KeyRepresentation.BASE32)
			.setNumberOfScratchCodes(0)
			.build());
	}

	/** A new Base32 secret of 160 bits. */
	String newSecret() {
		return this.authenticator.createCredentials().getKey();
	}

	/**
	 * The time step whose code was typed, if it is within the window; the latest one
	 * should several match.
	 * @param typedCode six ASCII digits, with any spaces the person typed
	 */
	OptionalLong matchingStep(String base32Secret, String typedCode) {
		byte[] typed = withoutSpaces(typedCode).getBytes(StandardCharsets.US_ASCII);
		long now = Math.floorDiv(this.clock.millis(), STEP_MILLIS);
		OptionalLong match = OptionalLong.empty();
		for (long step = now - WINDOW; step <= now + WINDOW; step++) {
			if (MessageDigest.isEqual(codeAt(base32Secret, step), typed)) {
				match = OptionalLong.of(step);
			}
		}
		return match;
	}

	/** The time step the clock is in now. */
	long currentStep() {
		return Math.floorDiv(this.clock.millis(), STEP_MILLIS);
	}

	/**
	 * For a code that {@link #matchingStep} refused: how many steps from now it would
	 * have been right, if that is within {@link #DRIFT_HINT_STEPS} (a phone whose clock
	 * is off) but outside the accepted window. Never a reason to accept the code.
	 * @return positive if the phone's clock is ahead, negative if behind
	 */
	OptionalLong clockOffsetSteps(String base32Secret, String typedCode) {
		byte[] typed = withoutSpaces(typedCode).getBytes(StandardCharsets.US_ASCII);
		long now = Math.floorDiv(this.clock.millis(), STEP_MILLIS);
		// Nearest first, so that a code that repeats within the range names the smallest
		// offset.
		for (long distance = WINDOW + 1; distance <= DRIFT_HINT_STEPS; distance++) {
			for (long offset : new long[] { distance, -distance }) {
				if (MessageDigest.isEqual(codeAt(base32Secret, now + offset), typed)) {
					return OptionalLong.of(offset);
				}
			}
		}
		return OptionalLong.empty();
	}

	private byte[] codeAt(String base32Secret, long step) {
		int code = this.authenticator.getTotpPassword(base32Secret, step * STEP_MILLIS);
		// Zero-padded ASCII digits by hand: String.format was 40 % of a whole check (JMH;
		// docs/benchmarks.md, what the profiles showed).
		byte[] digits = new byte[DIGITS];
		for (int i = DIGITS - 1; i >= 0; i--) {
			digits[i] = (byte) ('0' + code % 10);
			code /= 10;
		}
		return digits;
	}

	static String withoutSpaces(String typedCode) {
		return typedCode.replace(" ", "");
	}

}
