package dev.totplogin.securitykey;

import org.springframework.security.web.webauthn.api.Bytes;

/**
 * The flags byte of WebAuthn authenticator data (offset 32, after the relying party id's
 * hash), which the authenticator signs with the rest of the assertion: read only from an
 * assertion whose signature the relying party has verified.
 *
 * @param userVerified UV (bit 2): a PIN or biometric verified the person
 * @param backupEligible BE (bit 3): the credential may be synced to other devices
 * @param backupState BS (bit 4): the credential is synced now
 */
public record AuthenticatorFlags(boolean userVerified, boolean backupEligible, boolean backupState) {

	private static final int FLAGS_OFFSET = 32;

	/** Flags of too short a piece of data: none set. */
	public static AuthenticatorFlags of(Bytes authenticatorData) {
		byte[] data = (authenticatorData != null) ? authenticatorData.getBytes() : new byte[0];
		if (data.length <= FLAGS_OFFSET) {
			return new AuthenticatorFlags(false, false, false);
		}
		int flags = data[FLAGS_OFFSET];
		return new AuthenticatorFlags((flags & 0x04) != 0, (flags & 0x08) != 0, (flags & 0x10) != 0);
	}

}
