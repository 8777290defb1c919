package dev.totplogin.mail;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import dev.totplogin.audit.ClientInfo;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes a message to the outbox, in the caller's transaction: the change and the mail it
 * causes are stored together or not at all. {@link MailDelivery} sends it in the
 * background. The body comes from the templates {@code mail/<name>.txt} and
 * {@code mail/<name>.html}, the subject from {@code mail.<name>.subject}; callers pass
 * links and facts, never a password, code or secret.
 */
@Service
public class Mailer {

	private static final Logger log = LoggerFactory.getLogger(Mailer.class);

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final JdbcTemplate jdbc;

	private final ITemplateEngine templates;

	private final MessageSource messages;

	private final SchedulerClient scheduler;

	private final OneTimeTask<Long> delivery;

	private final SiteProperties site;

	private final MailProperties properties;

	private final Clock clock;

	Mailer(JdbcTemplate jdbc, MailTemplates templates, MessageSource messages, SchedulerClient scheduler,
			OneTimeTask<Long> delivery, SiteProperties site, MailProperties properties, Clock clock) {
		this.properties = properties;
		this.jdbc = jdbc;
		this.templates = templates.engine();
		this.messages = messages;
		this.scheduler = scheduler;
		this.delivery = delivery;
		this.site = site;
		this.clock = clock;
	}

	/**
	 * A security notice ({@code notice} template): what happened, when, from where, and a
	 * link to the account page.
	 * @param accountId the account the message is for (its deletion deletes the message)
	 * @param more further variables of the message's text
	 */
	@Transactional
	public void notice(long accountId, String to, String kind, Instant when, ClientInfo client,
			Map<String, Object> more) {
		Map<String, Object> variables = new HashMap<>(more);
		Locale locale = locale();
		variables.put("time", TIME.withLocale(locale).format(when));
		variables.put("ip", (client.ipAddress() != null) ? client.ipAddress()
				: this.messages.getMessage("mail.commandLine", null, locale));
		variables.put("browser", (client.userAgent() != null) ? client.browser()
				: this.messages.getMessage("mail.noBrowser", null, locale));
		send(accountId, to, kind, "notice", variables);
	}

	/**
	 * The account is being deleted, in the caller's transaction: its messages go from the
	 * outbox, queued or sent (what was sent keeps its recipient and subject), whatever
	 * address they went to (an earlier one, one waiting for its confirmation). Messages
	 * written before the outbox said whose a message was go by the current address,
	 * unless another account has the same address.
	 * @param address the account's current address, or null
	 */
	@Transactional
	public void forgetMailOf(long accountId, String address) {
		int forgotten = this.jdbc.update("delete from mail_outbox where account_id = ?", accountId);
		if (address != null) {
			Integer shared = this.jdbc.queryForObject(
					"select count(*) from account where lower(email) = lower(?) and id <> ?", Integer.class, address,
					accountId);
			if (shared != null && shared == 0) {
				forgotten += this.jdbc.update(
						"delete from mail_outbox where account_id is null and lower(recipient) = lower(?)", address);
			}
		}
		log.info("{} messages of a deleted account removed from the outbox", forgotten);
	}

	/**
	 * The goodbye to a deleted account's verified address ({@code farewell} template):
	 * what happened and when, without a link (there is no account left to go to).
	 */
	@Transactional
	public void farewell(String to, Instant when) {
		send(null, to, "account-deleted", "farewell", Map.of("time", TIME.withLocale(locale()).format(when)));
	}

	/**
	 * The language of the request that causes the message (the pages' language), English
	 * outside a request.
	 */
	private static Locale locale() {
		LocaleContext request = LocaleContextHolder.getLocaleContext();
		return (request != null && request.getLocale() != null && "de".equals(request.getLocale().getLanguage()))
				? Locale.GERMAN : Locale.ENGLISH;
	}

	/**
	 * The messages not sent yet and not given up on: how many, and when the oldest was
	 * written (null if none). One query over the index on {@code sent_at}; a dropped
	 * message is counted by {@code totplogin_mail_dropped_total} instead, so that one
	 * undeliverable message does not keep the outbox alert firing.
	 */
	public Outbox outbox() {
		return this.jdbc.queryForObject(
				"select count(*), min(created_at) from mail_outbox where sent_at is null and dropped_at is null",
				(row, n) -> {
					Timestamp oldest = row.getTimestamp(2);
					return new Outbox(row.getLong(1), (oldest != null) ? oldest.toInstant() : null);
				});
	}

	/**
	 * The messages waiting in the outbox.
	 *
	 * @param depth how many
	 * @param oldest when the oldest was written, null if none
	 */
	public record Outbox(long depth, Instant oldest) {

	}

	/**
	 * @param accountId the account the message is for (its deletion deletes the message),
	 * null for none
	 * @param kind what the message is about, e.g. {@code password-reset}: its subject is
	 * {@code mail.<kind>.subject}, and the templates find their texts under
	 * {@code mail.<kind>.*}
	 * @param template {@code link} (a message with one link to follow) or {@code notice}
	 * (a security notification)
	 * @param variables what the templates show; {@code accountLink} and {@code appLink}
	 * are always there
	 */
	@Transactional
	public void send(Long accountId, String to, String kind, String template, Map<String, Object> variables) {
		if (!this.properties.enabled()) {
			return;
		}
		Locale locale = locale();
		Context context = new Context(locale, variables);
		context.setVariable("kind", kind);
		context.setVariable("accountLink", this.site.link("/account"));
		context.setVariable("appLink", this.site.link("/"));
		String subject = this.messages.getMessage("mail." + kind + ".subject", null, locale);
		String text = this.templates.process("mail/" + template + ".txt", context);
		String html = this.templates.process("mail/" + template + ".html", context);
		Instant now = this.clock.instant();
		GeneratedKeyHolder key = new GeneratedKeyHolder();
		this.jdbc.update((connection) -> {
			var insert = connection
				.prepareStatement("insert into mail_outbox (recipient, subject, text_body, html_body, "
						+ "created_at, account_id) values (?, ?, ?, ?, ?, ?)", new String[] { "id" });
			insert.setString(1, to);
			insert.setString(2, subject);
			insert.setString(3, text);
			insert.setString(4, html);
			insert.setTimestamp(5, Timestamp.from(now));
			insert.setObject(6, accountId, java.sql.Types.BIGINT);
			return insert;
		}, key);
		long id = key.getKey().longValue();
		// Due at once, by the scheduler's own clock (the system's), whatever the
		// application's clock says.
		this.scheduler.schedule(this.delivery.instance(Long.toString(id), id), Instant.now());
		log.info("Mail {} queued as message {}", kind, id);
	}

}
