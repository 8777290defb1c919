package dev.totplogin.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.awaitility.Awaitility.await;

/**
 * The application's outbox as a person's mailbox, for tests that run without an SMTP
 * server: every message the application wrote, as it will be sent (subject, plain text,
 * HTML).
 */
public final class Mailbox {

	private static final Pattern LINK = Pattern.compile("(https?://\\S+?/[^\\s\"<]*token=[A-Za-z0-9_-]+)");

	private final JdbcTemplate jdbc;

	public Mailbox(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** The messages written to the address so far, oldest first. */
	public List<Map<String, Object>> messagesTo(String address) {
		return this.jdbc.queryForList(
				"select subject, text_body, html_body from mail_outbox where recipient = ? " + "order by id", address);
	}

	/**
	 * Waits (background work included) for the {@code n}th message to the address and
	 * returns its plain text.
	 */
	public String awaitMessage(String address, int n) {
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> messagesTo(address).size() >= n);
		return (String) messagesTo(address).get(n - 1).get("TEXT_BODY");
	}

	/** The one link with a token in a message. */
	public static String linkIn(String message) {
		Matcher matcher = LINK.matcher(message);
		if (!matcher.find()) {
			throw new IllegalStateException("no link in the message:\n" + message);
		}
		return matcher.group(1);
	}

	/** The path and query of a link, for MockMvc and for a browser on a random port. */
	public static String pathOf(String link) {
		return link.replaceFirst("^https?://[^/]+", "");
	}

}
