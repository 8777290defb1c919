package dev.totplogin.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the sign-in states last ({@code app.security.*}).
 *
 * @param pendingTimeout how long a session that passed the password step may take to
 * enter its code
 * @param absoluteTimeout how long a sign-in lasts at most, however active the session
 * @param freshProof how long a code confirmed on the account page counts as fresh proof
 * for its actions
 */
@ConfigurationProperties("app.security")
public record SecurityProperties(@DefaultValue("5m") Duration pendingTimeout,
		@DefaultValue("12h") Duration absoluteTimeout, @DefaultValue("10m") Duration freshProof) {
}
