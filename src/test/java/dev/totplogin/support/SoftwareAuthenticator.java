package dev.totplogin.support;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A security key in software, written for the tests from the WebAuthn and CTAP
 * specifications and independent of the code under test (webauthn4j, Spring Security):
 * one ES256 (P-256) credential, "none" attestation, the CBOR encoded by hand. It answers
 * the options our endpoints hand out with the JSON our script sends.
 */
public final class SoftwareAuthenticator {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();

	private final String origin;

	private final KeyPair keys;

	private final byte[] credentialId = new byte[16];

	private int signCount;

	/**
	 * Flags beyond user presence (bit 0) that the next ceremonies set: UV (0x04), BE
	 * (0x08), BS (0x10).
	 */
	private int flags;

	private String userHandle;

	public SoftwareAuthenticator(String origin) {
		this.origin = origin;
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			this.keys = generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
		new SecureRandom().nextBytes(this.credentialId);
	}

	/**
	 * A passkey that verifies its user (PIN or biometric): the UV flag from now on, and a
	 * discoverable credential (the assertion names its user).
	 */
	public SoftwareAuthenticator verifyingUser(boolean verifies) {
		this.flags = verifies ? (this.flags | 0x04) : (this.flags & ~0x04);
		return this;
	}

	/** A synced passkey: backup eligible and backed up. */
	public SoftwareAuthenticator synced() {
		this.flags |= 0x18;
		return this;
	}

	/**
	 * Someone else's authenticator claiming this one's credential id: its signatures do
	 * not verify.
	 */
	public SoftwareAuthenticator impostor() {
		SoftwareAuthenticator impostor = new SoftwareAuthenticator(this.origin);
		System.arraycopy(this.credentialId, 0, impostor.credentialId, 0, this.credentialId.length);
		impostor.flags = this.flags;
		impostor.userHandle = this.userHandle;
		impostor.signCount = this.signCount + 100;
		return impostor;
	}

	/** As a clone made before the latest uses would count. */
	public void rewindCounter() {
		this.signCount = 0;
	}

	public String credentialId() {
		return base64url.encodeToString(this.credentialId);
	}

	/**
	 * {@code navigator.credentials.create()} and the body our script posts to
	 * /webauthn/register.
	 */
	public String register(String creationOptionsJson, String label) {
		JsonNode options = json.readTree(creationOptionsJson);
		String rpId = options.get("rp").get("id").asString();
		this.userHandle = options.get("user").get("id").asString();
		byte[] clientData = clientData("webauthn.create", options.get("challenge").asString());
		byte[] authData = concat(sha256(rpId.getBytes(StandardCharsets.UTF_8)),
				new byte[] { (byte) (0x41 | this.flags) }, counter(), new byte[16],
				new byte[] { 0, (byte) this.credentialId.length }, this.credentialId, coseKey());
		byte[] attestation = concat(new byte[] { (byte) 0xA3 }, text("fmt"), text("none"), text("attStmt"),
				new byte[] { (byte) 0xA0 }, text("authData"), bytes(authData));
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("attestationObject", base64url.encodeToString(attestation));
		response.put("clientDataJSON", base64url.encodeToString(clientData));
		response.put("transports", new String[] { "usb" });
		Map<String, Object> credential = credential(response);
		return json.writeValueAsString(Map.of("publicKey", Map.of("credential", credential, "label", label)));
	}

	/**
	 * {@code navigator.credentials.get()} and the body our script posts to
	 * /login/webauthn.
	 */
	public String assertion(String requestOptionsJson) {
		JsonNode options = json.readTree(requestOptionsJson);
		return assertion(options.get("rpId").asString(), options.get("challenge").asString());
	}

	/** An assertion for any challenge and relying party id, as a forger would make it. */
	public String assertion(String rpId, String challenge) {
		this.signCount++;
		byte[] clientData = clientData("webauthn.get", challenge);
		byte[] authData = concat(sha256(rpId.getBytes(StandardCharsets.UTF_8)),
				new byte[] { (byte) (0x01 | this.flags) }, counter());
		Map<String, Object> response = new LinkedHashMap<>();
		if (this.userHandle != null) {
			response.put("userHandle", this.userHandle);
		}
		response.put("authenticatorData", base64url.encodeToString(authData));
		response.put("clientDataJSON", base64url.encodeToString(clientData));
		response.put("signature", base64url.encodeToString(sign(concat(authData, sha256(clientData)))));
		return json.writeValueAsString(credential(response));
	}

	private Map<String, Object> credential(Map<String, Object> response) {
		Map<String, Object> credential = new LinkedHashMap<>();
		credential.put("id", credentialId());
		credential.put("rawId", credentialId());
		credential.put("type", "public-key");
		credential.put("clientExtensionResults", Map.of());
		credential.put("authenticatorAttachment", "cross-platform");
		credential.put("response", response);
		return credential;
	}

	private byte[] clientData(String type, String challenge) {
		return json.writeValueAsBytes(Map.of("type", type, "challenge", challenge, "origin", this.origin));
	}

	private byte[] counter() {
		return ByteBuffer.allocate(4).putInt(this.signCount).array();
	}

	/** {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}. */
	private byte[] coseKey() {
		ECPublicKey key = (ECPublicKey) this.keys.getPublic();
		return concat(new byte[] { (byte) 0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21 },
				bytes(unsigned32(key.getW().getAffineX())), new byte[] { 0x22 },
				bytes(unsigned32(key.getW().getAffineY())));
	}

	private byte[] sign(byte[] data) {
		try {
			Signature signature = Signature.getInstance("SHA256withECDSA");
			signature.initSign(this.keys.getPrivate());
			signature.update(data);
			return signature.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] unsigned32(BigInteger value) {
		byte[] raw = value.toByteArray();
		byte[] result = new byte[32];
		int length = Math.min(raw.length, 32);
		System.arraycopy(raw, raw.length - length, result, 32 - length, length);
		return result;
	}

	private static byte[] text(String value) {
		byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
		return concat(new byte[] { (byte) (0x60 | utf8.length) }, utf8);
	}

	private static byte[] bytes(byte[] value) {
		if (value.length < 24) {
			return concat(new byte[] { (byte) (0x40 | value.length) }, value);
		}
		if (value.length < 256) {
			return concat(new byte[] { 0x58, (byte) value.length }, value);
		}
		return concat(new byte[] { 0x59, (byte) (value.length >> 8), (byte) value.length }, value);
	}

	private static byte[] sha256(byte[] data) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(data);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

}
