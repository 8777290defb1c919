package dev.totplogin.mail;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.totplogin.support.MockMvcAppTest;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message that cannot be sent is given up on after the last retry: marked dropped, no
 * longer waiting in the outbox (so its age does not keep the outbox alert firing), and
 * counted by {@code totplogin_mail_dropped_total}. The real background sender runs it:
 * the message's address cannot be used (two addresses in one), and the test only brings
 * its retry count to the last but one, as a day of failures would.
 */
@MockMvcAppTest
class MailDropTests {

	private static final Instant LONG_AGO = Instant.parse("2001-01-01T00:00:00Z");

	@Autowired
	private Mailer mailer;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private MeterRegistry registry;

	@Test
	void deliveryWhenTheLastRetryFailsThenDroppedCountedAndNoLongerWaitingInTheOutbox() {
		double droppedBefore = dropped();
		this.mailer.send(null, "first@example.test, second@example.test", "verify-email", "link",
				Map.of("link", "http://localhost:8080/", "minutes", 24));
		long id = this.jdbc.queryForObject("select max(id) from mail_outbox where recipient like 'first@%'",
				Long.class);
		this.jdbc.update("update mail_outbox set created_at = ? where id = ?", Timestamp.from(LONG_AGO), id);
		assertThat(this.mailer.outbox().oldest()).as("waiting, the oldest message").isEqualTo(LONG_AGO);
		await().atMost(Duration.ofSeconds(30)).until(() -> failures(id) >= 1);
		// The last but one failure, and due now: the background sender tries it once
		// more.
		this.jdbc.update(
				"update scheduled_tasks set consecutive_failures = 99, execution_time = ? "
						+ "where task_name = 'send-mail' and task_instance = ? and picked = false",
				Timestamp.from(Instant.now()), Long.toString(id));

		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.queryForObject(
					"select count(*) from mail_outbox where id = ? and dropped_at is not null", Integer.class,
					id) == 1);
		assertThat(this.jdbc.queryForObject("select sent_at from mail_outbox where id = ?", Timestamp.class, id))
			.isNull();
		assertThat(this.mailer.outbox().oldest()).as("no longer waiting").isNotEqualTo(LONG_AGO);
		assertThat(this.registry.get("totplogin.mail.dropped").functionCounter().count()).isEqualTo(droppedBefore + 1);
		assertThat(this.jdbc.queryForObject("select count(*) from scheduled_tasks where task_instance = ?",
				Integer.class, Long.toString(id)))
			.as("not tried again")
			.isZero();
	}

	private double dropped() {
		FunctionCounter counter = this.registry.find("totplogin.mail.dropped").functionCounter();
		return (counter != null) ? counter.count() : 0;
	}

	private int failures(long id) {
		Integer failures = this.jdbc.queryForObject(
				"select coalesce(max(consecutive_failures), 0) from scheduled_tasks where task_name = 'send-mail' "
						+ "and task_instance = ? and picked = false",
				Integer.class, Long.toString(id));
		return (failures != null) ? failures : 0;
	}

}
