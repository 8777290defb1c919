package dev.totplogin.account;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.password.CompromisedPasswordDecision;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordPolicyTests {

	/**
	 * The length and character rules on their own, with no password counted as common.
	 */
	private final PasswordPolicy rulesOnly = new PasswordPolicy((password) -> new CompromisedPasswordDecision(false));

	/** The whole policy, zxcvbn included. */
	private final PasswordPolicy policy = new PasswordPolicy();

	@Test
	void checkWhenTwelveCharactersThenAccepted() {
		assertThat(this.rulesOnly.check("abcdefghijkl", "user")).isEmpty();
	}

	@Test
	void checkWhenElevenCharactersThenTooShort() {
		assertThat(this.rulesOnly.check("abcdefghijk", "user")).get()
			.extracting(PasswordPolicy.Violation::messageKey)
			.isEqualTo("password.tooShort");
	}

	@Test
	void checkWhenLengthCountedThenEmojiCountsAsOneCharacter() {
		String twelveEmoji = "🔐".repeat(12);
		assertThat(twelveEmoji.length()).isEqualTo(24);
		assertThat(this.rulesOnly.check(twelveEmoji, "user")).isEmpty();
		assertThat(this.rulesOnly.check("🔐".repeat(129), "user")).get()
			.extracting(PasswordPolicy.Violation::messageKey)
			.isEqualTo("password.tooLong");
	}

	@Test
	void checkWhenNoCompositionRuleThenSpacesAndAnyScriptAccepted() {
		assertThat(this.policy.check("oak river Ünïcödé lantern", "user")).isEmpty();
		assertThat(this.policy.check("всё хорошо, спасибо", "user")).isEmpty();
	}

	@Test
	void checkWhenPasswordContainsUsernameInAnyCaseThenRefused() {
		assertThat(this.rulesOnly.check("xxMallory-2026xx", "mallory")).get()
			.extracting(PasswordPolicy.Violation::messageKey)
			.isEqualTo("password.containsUsername");
	}

	/** Security review, finding 7: NIST SP 800-63B 5.1.1.2 and ASVS 5.0 6.2.4. */
	@ParameterizedTest
	@ValueSource(strings = { "123456789012", "passwordpassword", "qwertyuiop12", "aaaaaaaaaaaa", "            ",
			"Password1234!", "iloveyou2026", "abcdefghijkl" })
	void checkWhenCommonRepeatedOrSequencedThenRefusedAsTooEasyToGuess(String password) {
		assertThat(this.policy.check(password, "user")).get()
			.extracting(PasswordPolicy.Violation::messageKey)
			.isEqualTo("password.common");
	}

	@Test
	void checkWhenControlCharactersThenRefused() {
		assertThat(this.policy.check("\0".repeat(20), "user")).get()
			.extracting(PasswordPolicy.Violation::messageKey)
			.isEqualTo("password.controlCharacters");
		assertThat(this.policy.check("oak river\tlantern field", "user")).get()
			.extracting(PasswordPolicy.Violation::messageKey)
			.isEqualTo("password.controlCharacters");
	}

	@Test
	void checkWhenAPassphraseOfUnrelatedWordsThenAccepted() {
		assertThat(this.policy.check("correct horse battery staple", "user")).isEmpty();
		assertThat(this.policy.check("sunny samba weekend", "user")).isEmpty();
	}

}
