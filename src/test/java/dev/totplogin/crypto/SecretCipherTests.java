package dev.totplogin.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SecretCipherTests {

	private static final byte[] KEY_A = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] KEY_B = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

	private final SecretCipher cipher = new SecretCipher(KEY_A, List.of());

	@Test
	void encryptWhenDecryptedWithSameContextThenOriginal() {
		String stored = this.cipher.encrypt("JBSWY3DPEHPK3PXP", "totp:1");
		assertThat(stored).startsWith("v1.").doesNotContain("JBSWY3DPEHPK3PXP");
		assertThat(this.cipher.decrypt(stored, "totp:1")).isEqualTo("JBSWY3DPEHPK3PXP");
	}

	@Test
	void encryptWhenSameValueTwiceThenDifferentCiphertextsFromRandom96BitIvs() {
		String first = this.cipher.encrypt("same", "totp:1");
		String second = this.cipher.encrypt("same", "totp:1");
		assertThat(first).isNotEqualTo(second);
		byte[] sealed = Base64.getUrlDecoder().decode(first.split("\\.")[2]);
		// 12-byte IV + 4 bytes of text + 16-byte GCM tag
		assertThat(sealed).hasSize(12 + 4 + 16);
	}

	@Test
	void decryptWhenCiphertextMovedToAnotherAccountThenRefused() {
		String stored = this.cipher.encrypt("secret", "totp:1");
		assertThatIllegalArgumentException().isThrownBy(() -> this.cipher.decrypt(stored, "totp:2"));
	}

	@Test
	void decryptWhenOneCharacterTamperedThenRefused() {
		String stored = this.cipher.encrypt("secret", "totp:1");
		// A character inside the ciphertext (the last one may carry only padding bits).
		int middle = stored.length() - 8;
		String tampered = stored.substring(0, middle) + (stored.charAt(middle) == 'A' ? 'B' : 'A')
				+ stored.substring(middle + 1);
		assertThatIllegalArgumentException().isThrownBy(() -> this.cipher.decrypt(tampered, "totp:1"));
	}

	@Test
	void rotationWhenOldKeyKeptAsPreviousThenOldValuesDecryptAndNewOnesUseNewKey() {
		String underA = this.cipher.encrypt("secret", "totp:1");
		SecretCipher rotated = new SecretCipher(KEY_B, List.of(KEY_A));
		assertThat(rotated.decrypt(underA, "totp:1")).isEqualTo("secret");
		assertThat(rotated.isCurrent(underA)).isFalse();
		String underB = rotated.encrypt("secret", "totp:1");
		assertThat(rotated.isCurrent(underB)).isTrue();
		assertThat(underB.split("\\.")[1]).isNotEqualTo(underA.split("\\.")[1]);
		assertThatIllegalArgumentException().isThrownBy(() -> this.cipher.decrypt(underB, "totp:1"))
			.withMessageContaining("unknown key");
	}

	@Test
	void keyedHashWhenKeysRotateThenOldHashStillAmongTheCandidates() {
		String underA = this.cipher.keyedHash("abcde12345");
		SecretCipher rotated = new SecretCipher(KEY_B, List.of(KEY_A));
		assertThat(rotated.keyedHashes("abcde12345")).hasSize(2).contains(underA);
		assertThat(rotated.keyedHash("abcde12345")).isNotEqualTo(underA);
	}

	@Test
	void keyWhenNot32BytesThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SecretCipher(new byte[16], List.of()));
	}

	@Test
	void prodProfileWhenNoKeyConfiguredThenRefusesToStart() {
		MockEnvironment environment = new MockEnvironment();
		environment.setActiveProfiles("prod");
		EncryptionProperties properties = new EncryptionProperties(null, List.of(),
				java.nio.file.Path.of("target/never-written.key"));
		assertThatIllegalStateException()
			.isThrownBy(() -> new EncryptionConfiguration().secretCipher(properties, environment))
			.withMessageContaining("APP_SECURITY_ENCRYPTION_KEY");
		assertThat(java.nio.file.Path.of("target/never-written.key")).doesNotExist();
	}

	@Test
	void localDefaultWhenNoKeyConfiguredThenGeneratesOwnerOnlyKeyFileOnce(
			@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) throws Exception {
		java.nio.file.Path file = directory.resolve("data/encryption.key");
		EncryptionProperties properties = new EncryptionProperties(null, List.of(), file);
		SecretCipher first = new EncryptionConfiguration().secretCipher(properties, new MockEnvironment());
		assertThat(java.nio.file.Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
				java.nio.file.attribute.PosixFilePermission.OWNER_READ,
				java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
		SecretCipher second = new EncryptionConfiguration().secretCipher(properties, new MockEnvironment());
		assertThat(second.decrypt(first.encrypt("x", "c"), "c")).isEqualTo("x");
	}

}
