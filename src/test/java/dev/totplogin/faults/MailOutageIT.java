package dev.totplogin.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.totplogin.TotpLoginApplication;
import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.Mailbox;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestTotp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SMTP refuses connections for two minutes (issue 18, section 3) while people on two
 * instances ask for password resets and change their passwords, and one instance is
 * restarted in the middle: every page answers as usual, and once SMTP is back every
 * message arrives exactly once.
 */
class MailOutageIT {

	private static final String KEY = "bWFpbC1vdXRhZ2UtdGVzdC1rZXktMDEyMzQ1Njc4OWE=";

	private static final Duration OUTAGE = Duration.ofMinutes(2);

	private final Clock clock = Clock.systemUTC();

	@Test
	void smtpWhenDownForTwoMinutesAcrossARestartThenEveryMessageArrivesOnceAndNoPageFailed() throws Exception {
		int smtpPort;
		try (ServerSocket free = new ServerSocket(0)) {
			smtpPort = free.getLocalPort();
		}
		GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		smtp.start();
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
			String url = postgres.getJdbcUrl("postgres", "postgres");
			ConfigurableApplicationContext a = instance(url, smtpPort);
			ConfigurableApplicationContext b = instance(url, smtpPort);
			try {
				JdbcTemplate jdbc = b.getBean(JdbcTemplate.class);
				Mailbox mailbox = new Mailbox(jdbc);
				List<String[]> people = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					String username = "mailer" + i;
					String email = username + "@example.com";
					HttpBrowser browser = new HttpBrowser(port((i % 2 == 0) ? a : b));
					String secret = browser.registerAndEnroll(username, email, this.clock);
					String link = Mailbox.linkIn(mailbox.awaitMessage(email, 1));
					String token = link.substring(link.indexOf("token=") + 6);
					browser.post("/email/verify", Map.of("token", token),
							browser.get(Mailbox.pathOf(link)).csrfToken());
					people.add(new String[] { username, email, secret });
				}
				await().atMost(Duration.ofSeconds(30))
					.until(() -> jdbc.queryForObject("select count(*) from mail_outbox where sent_at is null",
							Integer.class) == 0);
				long before = jdbc.queryForObject("select coalesce(max(id), 0) from mail_outbox", Long.class);
				smtp.stop();

				Instant down = Instant.now();
				List<HttpBrowser.Page> answers = new ArrayList<>();
				// Each person's enrollment used a code of this step or an earlier one.
				long lastCodeStep = this.clock.instant().getEpochSecond() / 30;
				int changed = 0;
				boolean restarted = false;
				int round = 0;
				while (Duration.between(down, Instant.now()).compareTo(OUTAGE) < 0) {
					if (!restarted && Duration.between(down, Instant.now()).compareTo(OUTAGE.dividedBy(2)) > 0) {
						a.close();
						a = instance(url, smtpPort);
						restarted = true;
					}
					String[] person = people.get(round % people.size());
					ConfigurableApplicationContext instance = (round % 2 == 0) ? a : b;
					answers.add(new HttpBrowser(port(instance)).submit("/password/forgot", "/password/forgot",
							Map.of("email", person[1])));
					long step = this.clock.instant().getEpochSecond() / 30;
					// A sign-in's code and the change's code use two steps: the next
					// change waits for a third.
					if (step > lastCodeStep && changed < people.size()) {
						lastCodeStep = step + 1;
						answers.add(changePassword(port(instance), people.get(changed++)));
					}
					round++;
					// A request every 3 s for the whole outage.
					Thread.sleep(3_000);
				}
				assertThat(answers).hasSizeGreaterThan(30)
					.allSatisfy((answer) -> assertThat(answer.status()).isEqualTo(302));
				assertThat(answers).filteredOn((answer) -> "/account".equals(answer.redirectPath())).isNotEmpty();
				long waiting = jdbc.queryForObject("select count(*) from mail_outbox where id > ? and sent_at is null",
						Long.class, before);
				assertThat(waiting).as("messages waiting while SMTP is down").isGreaterThan(10);

				GreenMail back = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
				back.start();
				try {
					await().atMost(Duration.ofMinutes(2))
						.until(() -> jdbc.queryForObject("select count(*) from mail_outbox where sent_at is null",
								Integer.class) == 0);
					// Nothing more arrives for two more poll intervals of both
					// instances (a message sent twice would).
					await().during(Duration.ofSeconds(5))
						.atMost(Duration.ofSeconds(10))
						.until(() -> back.getReceivedMessages().length == jdbc
							.queryForObject("select count(*) from mail_outbox where id > ?", Long.class, before));
					Map<String, Long> expected = jdbc
						.queryForList("select recipient, subject from mail_outbox where id > ?", before)
						.stream()
						.collect(Collectors.groupingBy((row) -> row.get("RECIPIENT") + " / " + row.get("SUBJECT"),
								Collectors.counting()));
					Map<String, Long> received = List.of(back.getReceivedMessages())
						.stream()
						.collect(Collectors.groupingBy(MailOutageIT::recipientAndSubject, Collectors.counting()));
					assertThat(received).as("each message once").isEqualTo(expected);
					assertThat(expected.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(waiting);
				}
				finally {
					back.stop();
				}
			}
			finally {
				a.close();
				b.close();
			}
		}
	}

	/** The person signs in and changes their password (a notice is mailed). */
	private HttpBrowser.Page changePassword(int port, String[] person) {
		HttpBrowser browser = new HttpBrowser(port);
		assertThat(browser.passwordStep(person[0]).redirectPath()).as(person[0]).isEqualTo("/verify-2fa");
		browser.submit("/verify-2fa", "/verify-2fa", Map.of("code", TestTotp.code(person[2], this.clock.instant())));
		return browser.submit("/account", "/account/password",
				Map.of("currentPassword", TestAccounts.PASSWORD, "code",
						TestTotp.code(person[2], this.clock.instant().plusSeconds(30)), "newPassword",
						TestAccounts.PASSWORD + " anew", "confirmPassword", TestAccounts.PASSWORD + " anew"));
	}

	private static String recipientAndSubject(MimeMessage message) {
		try {
			return message.getAllRecipients()[0] + " / " + message.getSubject();
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ConfigurableApplicationContext instance(String url, int smtpPort) throws IOException {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres", "--spring.datasource.password=",
				"--app.security.encryption.key=" + KEY, "--app.security.registration-limit.per-ip-per-hour=1000000",
				"--spring.mail.host=127.0.0.1", "--spring.mail.port=" + smtpPort,
				"--spring.mail.properties.mail.smtp.connectiontimeout=2000", "--app.mail.first-retry=5s",
				// Several failed tries for every message during the outage, as with the
				// defaults over hours, but once SMTP is back none waits a minute more for
				// its next try (doubling from 5 s would reach 80 s).
				"--app.mail.longest-retry=10s", "--app.mail.requests-per-ip-per-hour=100000",
				"--app.mail.resets-per-address-per-hour=100000",
				"--app.mail.directory=" + Files.createTempDirectory("mail-outage")));
		arguments.addAll(TestAccounts.TEST_SETTINGS);
		return new SpringApplicationBuilder(TotpLoginApplication.class).run(arguments.toArray(String[]::new));
	}

	private static int port(ConfigurableApplicationContext instance) {
		return Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
	}

}
