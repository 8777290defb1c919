package dev.totplogin.hashing;

import org.springframework.security.authentication.InternalAuthenticationServiceException;

/**
 * Too many password hashes are being computed already: the request is refused with "busy,
 * try again" (HTTP 503 with {@code Retry-After}) instead of queueing without bound. An
 * authentication exception, so that the login form's failure handler sees it, but never
 * counted as a wrong password.
 */
public class PasswordHashingBusyException extends InternalAuthenticationServiceException {

	public PasswordHashingBusyException() {
		super("password hashing is at capacity");
	}

}
