package dev.totplogin.mail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.totplogin.TotpLoginApplication;
import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.Mailbox;
import dev.totplogin.support.QrCodes;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestTotp;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mail over real SMTP (GreenMail, in process), with the application as it runs: the whole
 * forgotten-password journey reads its links from delivered messages; with SMTP down the
 * pages answer as usual and every message arrives, once, after SMTP is back, an
 * application restart in between included. Without an SMTP host, messages are files.
 */
@ExtendWith(OutputCaptureExtension.class)
class MailDeliveryIT {

	private static final String KEY = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=";

	private static final String NEW_PASSWORD = "lantern orbit cellar tulip";

	@TempDir
	private Path directory;

	private final Clock clock = Clock.systemUTC();

	private final int smtpPort = freePort();

	private GreenMail smtp = newSmtp();

	@AfterEach
	void stopSmtp() {
		this.smtp.stop();
	}

	@Test
	void forgottenPasswordWhenDoneOverSmtpThenEveryLinkComesByMailAndTheSecondFactorIsStillAsked() throws Exception {
		this.smtp.start();
		try (ConfigurableApplicationContext app = start(true)) {
			HttpBrowser browser = new HttpBrowser(port(app));
			signUpWithAddress(browser, "nora", "nora@example.com");
			String recoveryCode = browser.recoveryCodes().get(0);
			String verify = Mailbox.linkIn(textOf(awaitDelivered(1).get(0)));
			HttpBrowser.Page confirm = browser.get(Mailbox.pathOf(verify));
			browser.post("/email/verify", Map.of("token", verify.substring(verify.indexOf("token=") + 6)),
					confirm.csrfToken());

			HttpBrowser stranger = new HttpBrowser(port(app));
			assertThat(stranger.submit("/password/forgot", "/password/forgot", Map.of("email", "NORA@example.com"))
				.redirectPath()).isEqualTo("/password/forgot");
			MimeMessage reset = awaitDelivered(2).get(1);
			assertThat(reset.getSubject()).isEqualTo("Reset your password");
			assertThat(mimeTypes((Multipart) reset.getContent())).as("plain text and HTML")
				.contains("text/plain", "text/html");
			String link = Mailbox.linkIn(textOf(reset));
			assertThat(link).startsWith("http://localhost:8080/password/reset?token=");

			assertThat(stranger.get(Mailbox.pathOf(link)).redirectPath()).isEqualTo("/password/reset");
			HttpBrowser.Page form = stranger.get("/password/reset");
			assertThat(stranger
				.post("/password/reset", Map.of("newPassword", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD),
						form.csrfToken())
				.status()).as("no code, no reset").isEqualTo(200);
			form = stranger.get("/password/reset");
			assertThat(
					stranger
						.post("/password/reset",
								Map.of("code", recoveryCode, "newPassword", NEW_PASSWORD, "confirmPassword",
										NEW_PASSWORD),
								form.csrfToken())
						.redirectPath())
				.isEqualTo("/login");

			HttpBrowser again = new HttpBrowser(port(app));
			assertThat(again.submit("/login", "/login", Map.of("username", "nora", "password", NEW_PASSWORD))
				.redirectPath()).isEqualTo("/verify-2fa");
			List<MimeMessage> all = awaitDelivered(4);
			assertThat(all.stream().map(MailDeliveryIT::subject)).contains("Your password was reset");
			for (MimeMessage message : all) {
				assertThat(textOf(message)).doesNotContain(NEW_PASSWORD).doesNotContain(recoveryCode);
			}
		}
	}

	@Test
	void smtpWhenDownThenPagesAnswerAndEveryMessageArrivesOnceAfterItIsBackAcrossARestart() throws Exception {
		this.smtp.start();
		try (ConfigurableApplicationContext app = start(true)) {
			signUpWithAddress(new HttpBrowser(port(app)), "olga", "olga@example.com");
			awaitDelivered(1);
		}
		this.smtp.stop();
		try (ConfigurableApplicationContext app = start(true)) {
			for (String name : List.of("pia", "quinn", "rosa")) {
				signUpWithAddress(new HttpBrowser(port(app)), name, name + "@example.com");
			}
			JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> jdbc.queryForObject("select count(*) from scheduled_tasks where consecutive_failures > 0",
						Integer.class) >= 3);
			assertThat(jdbc.queryForObject("select count(*) from mail_outbox where sent_at is null", Integer.class))
				.isEqualTo(3);
		}
		this.smtp = newSmtp();
		this.smtp.start();
		try (ConfigurableApplicationContext app = start(true)) {
			awaitDelivered(3);
			JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> jdbc.queryForObject("select count(*) from mail_outbox where sent_at is null",
						Integer.class) == 0);
			assertThat(List.of(this.smtp.getReceivedMessages()).stream().map(MailDeliveryIT::recipient))
				.as("each waiting message once, after SMTP came back")
				.containsExactlyInAnyOrder("pia@example.com", "quinn@example.com", "rosa@example.com");
		}
	}

	@Test
	void mailWhenNoSmtpHostThenWrittenAsAFileAndTheLogHoldsNoLink(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext app = start(false)) {
			signUpWithAddress(new HttpBrowser(port(app)), "sven", "sven@example.com");
			Path mail = this.directory.resolve("mail");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> Files.isDirectory(mail)
						&& files(mail).stream().anyMatch((f) -> f.toString().endsWith(".eml")));
			String eml = Files.readString(
					files(mail).stream().filter((f) -> f.toString().endsWith(".eml")).findFirst().orElseThrow());
			assertThat(eml).contains("To: sven@example.com").contains("Subject: Confirm your email address");
			String link = Mailbox.linkIn(eml.replace("=\r\n", "").replace("=3D", "="));
			assertThat(output.getAll()).contains("written to")
				.doesNotContain(link.substring(link.indexOf("token=") + 6));
		}
	}

	private void signUpWithAddress(HttpBrowser browser, String username, String email) {
		HttpBrowser.Page registered = browser.submit("/register", "/register", Map.of("username", username, "password",
				TestAccounts.PASSWORD, "confirmPassword", TestAccounts.PASSWORD, "email", email));
		assertThat(registered.redirectPath()).isEqualTo("/setup-2fa");
		HttpBrowser.Page setup = browser.get("/setup-2fa");
		String secret = QrCodes.secretOf(QrCodes.decode(browser.getBytes("/setup-2fa/qr.png")));
		assertThat(browser
			.post("/setup-2fa", Map.of("code", TestTotp.code(secret, this.clock.instant())), setup.csrfToken())
			.redirectPath()).isEqualTo("/recovery-codes");
	}

	private List<MimeMessage> awaitDelivered(int count) {
		await().atMost(Duration.ofSeconds(60)).until(() -> this.smtp.getReceivedMessages().length >= count);
		return List.of(this.smtp.getReceivedMessages());
	}

	private static String recipient(MimeMessage message) {
		try {
			return message.getAllRecipients()[0].toString();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String subject(MimeMessage message) {
		try {
			return message.getSubject();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<String> mimeTypes(Multipart multipart) throws Exception {
		List<String> types = new ArrayList<>();
		for (int i = 0; i < multipart.getCount(); i++) {
			BodyPart part = multipart.getBodyPart(i);
			if (part.getContent() instanceof Multipart nested) {
				types.addAll(mimeTypes(nested));
			}
			else {
				types.add(part.getContentType().split(";")[0].trim());
			}
		}
		return types;
	}

	private static String textOf(MimeMessage message) throws Exception {
		return textOf((Multipart) message.getContent());
	}

	private static String textOf(Multipart multipart) throws Exception {
		for (int i = 0; i < multipart.getCount(); i++) {
			BodyPart part = multipart.getBodyPart(i);
			if (part.getContent() instanceof Multipart nested) {
				return textOf(nested);
			}
			if (part.isMimeType("text/plain")) {
				return (String) part.getContent();
			}
		}
		throw new IllegalStateException("no plain text part");
	}

	private ConfigurableApplicationContext start(boolean withSmtp) {
		List<String> arguments = new ArrayList<>(TestAccounts.TEST_SETTINGS);
		arguments.addAll(List.of("--server.port=0",
				"--spring.datasource.url=jdbc:h2:file:" + this.directory.resolve("db").toAbsolutePath(),
				"--app.security.encryption.key=" + KEY, "--app.mail.first-retry=1s",
				"--app.mail.directory=" + this.directory.resolve("mail")));
		if (withSmtp) {
			arguments.addAll(List.of("--spring.mail.host=127.0.0.1", "--spring.mail.port=" + this.smtpPort,
					"--spring.mail.properties.mail.smtp.connectiontimeout=2000",
					"--spring.mail.properties.mail.smtp.timeout=2000"));
		}
		return new SpringApplicationBuilder(TotpLoginApplication.class).run(arguments.toArray(String[]::new));
	}

	private GreenMail newSmtp() {
		return new GreenMail(new ServerSetup(this.smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
	}

	private static List<Path> files(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.toList();
		}
	}

	private static int port(ConfigurableApplicationContext app) {
		return ((WebServerApplicationContext) app).getWebServer().getPort();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
