package dev.totplogin.totp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the authenticator enrollment ({@code app.totp.*}).
 *
 * @param issuer the name authenticator apps show above the account's codes
 */
@ConfigurationProperties("app.totp")
public record TotpProperties(@DefaultValue("TOTP Login") String issuer) {
}
