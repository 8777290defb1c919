package dev.totplogin.signin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many accounts one client may create ({@code app.security.registration-limit.*}).
 *
 * @param perIpPerHour registrations per client IP address and clock hour, counted in the
 * database
 */
@ConfigurationProperties("app.security.registration-limit")
public record RegistrationLimitProperties(@DefaultValue("20") int perIpPerHour) {
}
