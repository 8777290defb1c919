package dev.totplogin.security;

import java.time.Instant;

/**
 * One signed-in session of an account, as the account page lists it.
 *
 * @param ref an opaque reference to the session (never its id): what {@code /account}
 * ends it by
 * @param lastActiveAt its last request, to the minute
 * @param method how it signed in: the end of a message key
 * ({@code account.sessions.method.code}, {@link Assurance#method}), or null if not
 * recorded
 * @param level its assurance level ({@code aal1}, {@code aal2}), or null if not recorded
 */
public record AccountSession(String ref, Instant signedInAt, Instant lastActiveAt, String ipAddress, String browser,
		boolean current, String method, String level) {
}
