package dev.totplogin.account;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Accounts ({@code app.account.*}).
 *
 * @param deletedUsernameQuarantine how long a deleted account's username stays taken, so
 * that nobody takes it over at once
 */
@ConfigurationProperties("app.account")
public record AccountProperties(@DefaultValue("30d") Duration deletedUsernameQuarantine) {
}
