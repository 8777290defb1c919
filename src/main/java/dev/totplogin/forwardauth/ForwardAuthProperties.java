package dev.totplogin.forwardauth;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Forward auth ({@code app.forward-auth.*}).
 *
 * @param domains the origins (scheme, host and port) of the applications behind the
 * proxy, e.g. {@code https://app.example.com}; the only places a return URL may lead to
 * and the only requests {@code /auth/verify} answers 200 for (none: forward auth is off)
 * @param rules per-route rules, the first whose path matches applies
 * @param sessionCheck how long a signed-in session's check against the database (ended
 * elsewhere, signed out everywhere) is reused by the verify endpoint: at most this late a
 * session ended on another device loses access to the protected applications
 */
@ConfigurationProperties("app.forward-auth")
record ForwardAuthProperties(@DefaultValue List<URI> domains, @DefaultValue List<Rule> rules,
		@DefaultValue("5s") Duration sessionCheck) {

	/**
	 * @param path a path pattern of the protected application, e.g. {@code /admin/**}
	 * @param maxAge the longest time since the last code or key (at sign-in or "confirm
	 * it's you"); none: any complete sign-in
	 * @param acr the assurance level the route needs, e.g. {@code urn:totp-login:aal2};
	 * none: any
	 */
	record Rule(String path, Duration maxAge, String acr) {
	}

}
