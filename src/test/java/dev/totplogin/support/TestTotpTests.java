package dev.totplogin.support;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The test-side TOTP generator must itself be right before other tests can trust it. */
class TestTotpTests {

	private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

	@ParameterizedTest
	@CsvSource({ "59, 94287082", "1111111109, 07081804", "1111111111, 14050471", "1234567890, 89005924",
			"2000000000, 69279037", "20000000000, 65353130" })
	void codeWhenRfc6238AppendixBVectorThenMatches(long unixTime, String expected) {
		assertThat(TestTotp.code(RFC_SEED, unixTime / 30, 8)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource({ "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "JBSWY3DPEHPK3PXP" })
	void base32WhenRoundTrippedThenUnchanged(String encoded) {
		assertThat(TestTotp.base32Encode(TestTotp.base32Decode(encoded))).isEqualTo(encoded);
	}

	@ParameterizedTest
	@CsvSource({ "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" })
	void base32WhenRfcSeedThenDecodesToSeed(String encoded) {
		assertThat(TestTotp.base32Decode(encoded)).isEqualTo(RFC_SEED);
	}

	@Test
	void codeAfterWhenTheClockIsStillInTheUsedStepThenTheNextStepsCode() {
		String secret = "JBSWY3DPEHPK3PXP";
		Clock clock = Clock.fixed(Instant.ofEpochSecond(30 * 1000 + 29), ZoneOffset.UTC);
		assertThat(TestTotp.codeAfter(secret, clock, 1000))
			.isEqualTo(TestTotp.code(secret, Instant.ofEpochSecond(30 * 1001)))
			.isNotEqualTo(TestTotp.code(secret, clock.instant()));
	}

	@Test
	void codeAfterWhenTheClockIsPastTheUsedStepThenTheCurrentCode() {
		String secret = "JBSWY3DPEHPK3PXP";
		Clock clock = Clock.fixed(Instant.ofEpochSecond(30 * 1003 + 5), ZoneOffset.UTC);
		assertThat(TestTotp.codeAfter(secret, clock, 1000)).isEqualTo(TestTotp.code(secret, clock.instant()));
	}

}
