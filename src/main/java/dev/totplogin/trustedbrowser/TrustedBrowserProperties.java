package dev.totplogin.trustedbrowser;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Trusted browsers ({@code app.security.trusted-browser.*}).
 *
 * @param lifetime how long a browser stays trusted from the moment it was ticked
 * (absolute: using it does not extend it)
 * @param secureCookie whether the cookie is sent over HTTPS only ({@code true} in
 * {@code prod})
 */
@ConfigurationProperties("app.security.trusted-browser")
public record TrustedBrowserProperties(@DefaultValue("30d") Duration lifetime,
		@DefaultValue("false") boolean secureCookie) {
}
