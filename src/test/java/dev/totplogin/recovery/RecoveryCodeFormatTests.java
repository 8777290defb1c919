package dev.totplogin.recovery;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecoveryCodeFormatTests {

	@Test
	void generateWhenCalledThenTenCharactersOfAn32LetterAlphabetWithADash() {
		SecureRandom random = new SecureRandom();
		Set<String> codes = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String code = RecoveryCodeFormat.generate(random);
			assertThat(code).matches("[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}");
			codes.add(code);
		}
		assertThat(codes).hasSize(1000);
		// 10 characters × log2(32) = 50 bits
		assertThat(RecoveryCodeFormat.ALPHABET).hasSize(32).doesNotContain("i", "l", "o", "u");
	}

	@Test
	void normalizeWhenTypedInCapitalsWithoutDashOrWithSpacesThenSameCode() {
		assertThat(RecoveryCodeFormat.normalize("X4K9M-Q7TNP")).hasValue("x4k9mq7tnp");
		assertThat(RecoveryCodeFormat.normalize(" x4k9m q7tnp ")).hasValue("x4k9mq7tnp");
		assertThat(RecoveryCodeFormat.normalize("x4k9mq7tnp")).hasValue("x4k9mq7tnp");
	}

	@Test
	void normalizeWhenLettersMistakenForDigitsThenReadAsDigits() {
		assertThat(RecoveryCodeFormat.normalize("O1IL0-aaaaa")).hasValue("01110aaaaa");
	}

	@Test
	void normalizeWhenNotACodeThenEmpty() {
		assertThat(RecoveryCodeFormat.normalize("x4k9m-q7tn")).isEmpty();
		assertThat(RecoveryCodeFormat.normalize("x4k9m-q7tnpp")).isEmpty();
		assertThat(RecoveryCodeFormat.normalize("x4k9m-q7tn'")).isEmpty();
		assertThat(RecoveryCodeFormat.normalize("u".repeat(10))).isEmpty();
		assertThat(RecoveryCodeFormat.normalize("a".repeat(10_000))).isEmpty();
	}

}
