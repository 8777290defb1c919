package dev.totplogin.securitykey;

import java.time.Instant;

/**
 * One of an account's security keys or passkeys, as the account page lists it.
 *
 * @param id the credential id, base64url
 * @param name the name its owner gave it
 * @param addedAt when it was registered
 * @param lastUsedAt when it last signed in or confirmed a step; null if it never has
 * @param signsInAlone a passkey registered with user verification: signs in on its own;
 * else a second step after the password only
 * @param synced the authenticator said at its last use that it is backed up (synced to
 * other devices)
 */
public record SecurityKey(String id, String name, Instant addedAt, Instant lastUsedAt, boolean signsInAlone,
		boolean synced) {
}
