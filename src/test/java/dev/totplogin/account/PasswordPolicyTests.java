package dev.totplogin.account;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordPolicyTests {

	private final PasswordPolicy policy = new PasswordPolicy();

	@Test
	void checkWhenTwelveCharactersThenAccepted() {
		assertThat(this.policy.check("abcdefghijkl", "user")).isEmpty();
	}

	@Test
	void checkWhenElevenCharactersThenTooShort() {
		assertThat(this.policy.check("abcdefghijk", "user")).get()
			.extracting(PasswordPolicy.Violation::messageKey)
			.isEqualTo("password.tooShort");
	}

	@Test
	void checkWhenLengthCountedThenEmojiCountsAsOneCharacter() {
		String twelveEmoji = "🔐".repeat(12);
		assertThat(twelveEmoji.length()).isEqualTo(24);
		assertThat(this.policy.check(twelveEmoji, "user")).isEmpty();
		assertThat(this.policy.check("🔐".repeat(129), "user")).get()
			.extracting(PasswordPolicy.Violation::messageKey)
			.isEqualTo("password.tooLong");
	}

	@Test
	void checkWhenSpacesOnlyAndLongEnoughThenAcceptedWithoutCompositionRules() {
		assertThat(this.policy.check("            ", "user")).isEmpty();
	}

	@Test
	void checkWhenPasswordContainsUsernameInAnyCaseThenRefused() {
		assertThat(this.policy.check("xxMallory-2026xx", "mallory")).get()
			.extracting(PasswordPolicy.Violation::messageKey)
			.isEqualTo("password.containsUsername");
	}

}
