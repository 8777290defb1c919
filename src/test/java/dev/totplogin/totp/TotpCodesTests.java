package dev.totplogin.totp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

import dev.totplogin.support.MutableClock;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TotpCodesTests {

	/** RFC 6238 Appendix B's SHA-1 seed, ASCII "12345678901234567890", in Base32. */
	private static final String RFC_SECRET = TestTotp
		.base32Encode("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

	private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_111_111_111));

	private final TotpCodes codes = new TotpCodes(this.clock);

	/**
	 * The RFC vectors have 8 digits; a 6-digit code is the same number modulo 10^6, its
	 * last six digits.
	 */
	@ParameterizedTest
	@CsvSource({ "59, 94287082", "1111111109, 07081804", "1111111111, 14050471", "1234567890, 89005924",
			"2000000000, 69279037", "20000000000, 65353130" })
	void matchingStepWhenRfc6238VectorThenAcceptedAtItsStep(long unixTime, String eightDigits) {
		this.clock.set(Instant.ofEpochSecond(unixTime));
		OptionalLong step = this.codes.matchingStep(RFC_SECRET, eightDigits.substring(2));
		assertThat(step).hasValue(unixTime / 30);
	}

	@ParameterizedTest
	@ValueSource(longs = { -1, 0, 1 })
	void matchingStepWhenCodeWithinOneStepThenAccepted(long offset) {
		long now = this.clock.instant().getEpochSecond() / 30;
		String code = codeAtStep(now + offset);
		assertThat(this.codes.matchingStep(RFC_SECRET, code)).hasValue(now + offset);
	}

	@ParameterizedTest
	@ValueSource(longs = { -3, -2, 2, 3 })
	void matchingStepWhenCodeTwoOrMoreStepsAwayThenRefused(long offset) {
		long now = this.clock.instant().getEpochSecond() / 30;
		assertThat(this.codes.matchingStep(RFC_SECRET, codeAtStep(now + offset))).isEmpty();
	}

	@Test
	void matchingStepWhenCodeTypedWithSpacesThenAccepted() {
		String code = TestTotp.code(RFC_SECRET, this.clock.instant());
		String spaced = " " + code.substring(0, 3) + " " + code.substring(3) + " ";
		assertThat(this.codes.matchingStep(RFC_SECRET, spaced)).isPresent();
	}

	@Test
	void matchingStepWhenWrongCodeThenRefused() {
		String code = TestTotp.code(RFC_SECRET, this.clock.instant());
		String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
		assertThat(this.codes.matchingStep(RFC_SECRET, wrong)).isEmpty();
	}

	/** googleauth's own authorize() refuses a genuine 000000; this service must not. */
	@Test
	void matchingStepWhenGenuineCodeIsAllZeroesThenAccepted() {
		long step = 0;
		byte[] key = TestTotp.base32Decode(RFC_SECRET);
		while (!TestTotp.code(key, step, 6).equals("000000")) {
			step++;
		}
		this.clock.set(Instant.ofEpochSecond(step * 30));
		assertThat(this.codes.matchingStep(RFC_SECRET, "000000")).hasValue(step);
	}

	@Test
	void newSecretWhenCreatedThenBase32Of160RandomBits() {
		Set<String> secrets = new HashSet<>();
		for (int i = 0; i < 100; i++) {
			String secret = this.codes.newSecret();
			assertThat(secret).matches("[A-Z2-7]{32}");
			assertThat(TestTotp.base32Decode(secret)).hasSize(20);
			secrets.add(secret);
		}
		assertThat(secrets).hasSize(100);
	}

	@Test
	void matchingStepWhenClockMovesPastWindowThenSameCodeRefused() {
		String code = TestTotp.code(RFC_SECRET, this.clock.instant());
		this.clock.advance(Duration.ofSeconds(30 * 2));
		assertThat(this.codes.matchingStep(RFC_SECRET, code)).isEmpty();
	}

	private static String codeAtStep(long step) {
		return TestTotp.code(TestTotp.base32Decode(RFC_SECRET), step, 6);
	}

}
