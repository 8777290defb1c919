package dev.totplogin.trustedbrowser;

import java.time.Instant;

/**
 * A browser the account trusts, as the account page lists it.
 *
 * @param id the public half of the cookie: what {@code /account} forgets by
 * @param lastUsedAt the last sign-in it stood in for, or null
 */
public record TrustedBrowser(String id, Instant createdAt, Instant expiresAt, Instant lastUsedAt, String ipAddress,
		String browser, boolean thisBrowser) {
}
