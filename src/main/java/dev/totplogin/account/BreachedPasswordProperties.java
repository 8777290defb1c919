package dev.totplogin.account;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The optional check of a new password against known breaches
 * ({@code app.breached-passwords.*}), through Have I Been Pwned's range API: off by
 * default, since the default path makes no third-party call.
 *
 * @param enabled whether a new password is also looked up there (sign-up, change, reset)
 * @param apiUrl the range API, to which the first five hex digits of the password's SHA-1
 * are appended
 * @param timeout the longest wait to connect, and for each read of the answer; past it
 * the check is skipped (the password is then judged by the local rules alone)
 */
@ConfigurationProperties("app.breached-passwords")
public record BreachedPasswordProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue("https://api.pwnedpasswords.com/range/") String apiUrl, @DefaultValue("2s") Duration timeout) {
}
