package dev.totplogin.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the sign-in states last ({@code app.security.*}). The two session limits are
 * refused at start-up beyond what NIST SP 800-63B-4 allows at AAL2: one hour without
 * activity, 24 hours in all.
 *
 * @param pendingTimeout how long a session that passed the password step may take to
 * enter its code
 * @param absoluteTimeout how long a sign-in lasts at most, however active the session,
 * counted from its earliest factor (at most 24 hours)
 * @param freshProof how long a code confirmed on the account page counts as fresh proof
 * for its actions
 * @param idleTimeout how long a signed-in session lasts without a request (at most one
 * hour)
 */
@ConfigurationProperties("app.security")
public record SecurityProperties(@DefaultValue("5m") Duration pendingTimeout,
		@DefaultValue("12h") Duration absoluteTimeout, @DefaultValue("10m") Duration freshProof,
		@DefaultValue("30m") Duration idleTimeout) {

	/** NIST SP 800-63B-4, AAL2: re-authentication at least every 24 hours. */
	static final Duration MAX_ABSOLUTE_TIMEOUT = Duration.ofHours(24);

	/** NIST SP 800-63B-4, AAL2: an inactivity timeout of at most one hour. */
	static final Duration MAX_IDLE_TIMEOUT = Duration.ofHours(1);

	public SecurityProperties {
		if (absoluteTimeout.isNegative() || absoluteTimeout.isZero()
				|| absoluteTimeout.compareTo(MAX_ABSOLUTE_TIMEOUT) > 0) {
			throw new IllegalArgumentException(
					"app.security.absolute-timeout must be more than 0 and at most 24h, not " + absoluteTimeout);
		}
		if (idleTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.compareTo(MAX_IDLE_TIMEOUT) > 0) {
			throw new IllegalArgumentException(
					"app.security.idle-timeout must be more than 0 and at most 1h, not " + idleTimeout);
		}
	}

}
