package dev.totplogin.mail;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Mail ({@code app.mail.*}). Over SMTP when {@code spring.mail.host} is set, else written
 * as {@code .eml} files.
 *
 * @param enabled false: no email field, no "Forgot password?", no mail at all
 * @param from the sender of every message
 * @param directory where messages are written when no SMTP host is configured (never in
 * {@code prod})
 * @param resetsPerAddressPerHour reset mails at most to one address in an hour
 * @param requestsPerIpPerHour reset and verification requests at most from one client IP
 * in an hour
 * @param emailChangesPerAccountPerHour new addresses at most from one account in an hour
 * (on the account page)
 * @param changeMailsPerAddressPerHour mails at most to one address in an hour because an
 * account asked to use it: its confirmation link, or the "address in use" notice to the
 * account that has it
 * @param firstRetry how long after a failed send the message is tried again; each further
 * wait twice the last
 * @param longestRetry the longest wait between two tries
 */
@ConfigurationProperties("app.mail")
public record MailProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("TOTP Login <no-reply@localhost>") String from, @DefaultValue("./data/mail") Path directory,
		@DefaultValue("3") int resetsPerAddressPerHour, @DefaultValue("20") int requestsPerIpPerHour,
		@DefaultValue("30s") Duration firstRetry, @DefaultValue("1h") Duration longestRetry,
		@DefaultValue("5") int emailChangesPerAccountPerHour, @DefaultValue("3") int changeMailsPerAddressPerHour) {
}
