package dev.totplogin.mail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends one message of the outbox, run by db-scheduler: over SMTP ({@code spring.mail.*})
 * when a host is configured, else as an RFC 5322 {@code .eml} file in
 * {@code app.mail.directory}. A message marked sent is never sent again; one that fails
 * stays in the outbox and is tried again later ({@link MailConfiguration}).
 */
@Component
class MailDelivery {

	private static final Logger log = LoggerFactory.getLogger(MailDelivery.class);

	private static final Duration BODIES_KEPT = Duration.ofHours(24);

	private final JdbcTemplate jdbc;

	private final ObjectProvider<JavaMailSender> smtp;

	private final MailProperties properties;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	MailDelivery(JdbcTemplate jdbc, ObjectProvider<JavaMailSender> smtp, MailProperties properties, Clock clock,
			ApplicationEventPublisher events) {
		this.events = events;
		this.jdbc = jdbc;
		this.smtp = smtp;
		this.properties = properties;
		this.clock = clock;
	}

	void deliver(long id) throws MessagingException, IOException {
		Map<String, Object> row = this.jdbc
			.queryForList("select recipient, subject, text_body, html_body, sent_at " + "from mail_outbox where id = ?",
					id)
			.stream()
			.findFirst()
			.orElse(null);
		if (row == null || row.get("SENT_AT") != null) {
			return;
		}
		JavaMailSender sender = this.smtp.getIfAvailable();
		MimeMessage message = (sender != null) ? sender.createMimeMessage()
				: new MimeMessage(Session.getInstance(new Properties()));
		MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
		helper.setFrom(this.properties.from());
		helper.setTo((String) row.get("RECIPIENT"));
		helper.setSubject((String) row.get("SUBJECT"));
		helper.setText((String) row.get("TEXT_BODY"), (String) row.get("HTML_BODY"));
		message.setSentDate(java.util.Date.from(this.clock.instant()));
		if (sender != null) {
			sender.send(message);
			log.info("Mail message {} sent over SMTP", id);
		}
		else {
			Path file = writeFile(id, message);
			log.info("Mail message {} written to {} (no spring.mail.host: open the newest file there)", id, file);
		}
		this.jdbc.update("update mail_outbox set sent_at = ? where id = ? and sent_at is null",
				Timestamp.from(this.clock.instant()), id);
		// Bodies may hold links with tokens: none is kept past the longest a token lives
		// (24 hours).
		this.jdbc.update("update mail_outbox set text_body = '', html_body = '' where sent_at < ? and text_body <> ''",
				Timestamp.from(this.clock.instant().minus(BODIES_KEPT)));
	}

	/**
	 * Given up on after the last retry: marked, so that it no longer counts as waiting
	 * ({@link Mailer#outbox()}), and counted as a drop.
	 */
	void dropped(long id) {
		if (this.jdbc.update(
				"update mail_outbox set dropped_at = ? where id = ? and sent_at is null " + "and dropped_at is null",
				Timestamp.from(this.clock.instant()), id) == 1) {
			this.events.publishEvent(new MailDropped());
		}
	}

	private Path writeFile(long id, MimeMessage message) throws IOException, MessagingException {
		Path directory = this.properties.directory();
		Files.createDirectories(directory);
		Path file = directory.resolve(this.clock.millis() + "-" + id + ".eml");
		// Written beside it, then moved in place: a reader never sees half a message.
		Path partial = directory.resolve(file.getFileName() + ".part");
		try (OutputStream out = Files.newOutputStream(partial)) {
			message.writeTo(out);
		}
		return Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
	}

}
