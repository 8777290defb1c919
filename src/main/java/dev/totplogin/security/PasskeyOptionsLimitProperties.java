package dev.totplogin.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The challenges one client IP may fetch for a passkey sign-in without being signed in
 * ({@code POST /webauthn/authenticate/options} from the login page, for the button and
 * for autofill), per clock hour, counted in the database across instances. Spring
 * Security keeps each challenge in the HTTP session, so each one is a session row: the
 * limit bounds how fast one client can grow the session table.
 *
 * @param perIpPerHour at most this many per client IP and hour; beyond, a 429
 */
@ConfigurationProperties("app.security.passkey-options-limit")
public record PasskeyOptionsLimitProperties(@DefaultValue("120") int perIpPerHour) {
}
