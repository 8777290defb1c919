package dev.totplogin.security;

import java.time.Instant;

/**
 * One signed-in session of an account, as the account page lists it.
 *
 * @param ref an opaque reference to the session (never its id): what {@code /account}
 * ends it by
 * @param lastActiveAt its last request, to the minute
 */
public record AccountSession(String ref, Instant signedInAt, Instant lastActiveAt, String ipAddress, String browser,
		boolean current) {
}
