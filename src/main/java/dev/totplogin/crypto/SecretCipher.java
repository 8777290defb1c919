package dev.totplogin.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for small secrets at rest. A stored value reads
 * {@code v1.<key id>.<base64url(iv ‖ ciphertext ‖ tag)>}: a fresh 96-bit IV per value,
 * and the id of the key that encrypted it, so keys can rotate. The caller's context (e.g.
 * {@code "totp:42"}) is bound as associated data, so a value copied to another account's
 * row does not decrypt.
 * <p>
 * The same keys derive the pepper of keyed hashes ({@link #keyedHashes}), for values that
 * are checked, never read.
 */
public final class SecretCipher {

	private static final String FORMAT = "v1";

	private static final int IV_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecureRandom random = new SecureRandom();

	private final Key current;

	private final Map<String, Key> byId = new LinkedHashMap<>();

	private record Key(String id, SecretKeySpec aes, SecretKeySpec pepper) {
	}

	/**
	 * @param currentKey the 32-byte key that encrypts new values
	 * @param previousKeys older keys that only decrypt
	 */
	public SecretCipher(byte[] currentKey, List<byte[]> previousKeys) {
		this.current = key(currentKey);
		this.byId.put(this.current.id(), this.current);
		for (byte[] previous : previousKeys) {
			Key key = key(previous);
			this.byId.putIfAbsent(key.id(), key);
		}
	}

	public String encrypt(String plaintext, String context) {
		byte[] iv = new byte[IV_BYTES];
		this.random.nextBytes(iv);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.current.aes(), new GCMParameterSpec(TAG_BITS, iv));
			cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
			byte[] value = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
			return FORMAT + "." + this.current.id() + "."
					+ Base64.getUrlEncoder().withoutPadding().encodeToString(value);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM unavailable", ex);
		}
	}

	/**
	 * @throws IllegalArgumentException if the value is not ours, its key is unknown, or
	 * it fails authentication
	 */
	public String decrypt(String stored, String context) {
		String[] parts = stored.split("\\.");
		if (parts.length != 3 || !FORMAT.equals(parts[0])) {
			throw new IllegalArgumentException("not an encrypted value");
		}
		Key key = this.byId.get(parts[1]);
		if (key == null) {
			throw new IllegalArgumentException("encrypted with unknown key " + parts[1]);
		}
		try {
			byte[] value = Base64.getUrlDecoder().decode(parts[2]);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key.aes(), new GCMParameterSpec(TAG_BITS, value, 0, IV_BYTES));
			cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
			byte[] plaintext = cipher.doFinal(value, IV_BYTES, value.length - IV_BYTES);
			return new String(plaintext, StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalArgumentException("cannot decrypt value", ex);
		}
	}

	/**
	 * Whether a stored value was encrypted with the current key (or needs re-encrypting).
	 */
	public boolean isCurrent(String stored) {
		return stored.startsWith(currentPrefix());
	}

	/**
	 * How every value encrypted with the current key begins ({@code v1.<key id>.}); no
	 * LIKE wildcards in it.
	 */
	public String currentPrefix() {
		return FORMAT + "." + this.current.id() + ".";
	}

	/** HMAC-SHA256 of a value under the current key's pepper: {@code <key id>:<hex>}. */
	public String keyedHash(String value) {
		return keyedHash(this.current, value);
	}

	/**
	 * The keyed hashes of a value under every known key, current first: what to look a
	 * stored hash up by.
	 */
	public List<String> keyedHashes(String value) {
		return this.byId.values().stream().map((key) -> keyedHash(key, value)).toList();
	}

	private static String keyedHash(Key key, String value) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key.pepper());
			return key.id() + ":" + HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 unavailable", ex);
		}
	}

	private static Key key(byte[] material) {
		if (material.length != 32) {
			throw new IllegalArgumentException("an AES-256 key has 32 bytes, this one " + material.length);
		}
		try {
			// Separate keys for encryption and hashing, derived from the one configured
			// key.
			Mac derive = Mac.getInstance("HmacSHA256");
			derive.init(new SecretKeySpec(material, "HmacSHA256"));
			byte[] aes = derive.doFinal("totp-login/aes-gcm".getBytes(StandardCharsets.US_ASCII));
			byte[] pepper = derive.doFinal("totp-login/pepper".getBytes(StandardCharsets.US_ASCII));
			byte[] fingerprint = MessageDigest.getInstance("SHA-256").digest(material);
			String id = HexFormat.of().formatHex(fingerprint, 0, 4);
			return new Key(id, new SecretKeySpec(aes, "AES"), new SecretKeySpec(pepper, "HmacSHA256"));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
