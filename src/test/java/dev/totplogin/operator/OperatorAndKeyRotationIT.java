package dev.totplogin.operator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.totplogin.TotpLoginApplication;
import dev.totplogin.crypto.SecretCipher;
import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.SoftwareAuthenticator;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestTotp;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole-application runs on one H2 file: the operator's reset command, and rotating the
 * encryption key.
 */
class OperatorAndKeyRotationIT {

	private static final String KEY_A = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=";

	private static final String KEY_B = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=";

	@TempDir
	private Path directory;

	private final Clock clock = Clock.systemUTC();

	@Test
	void resetCommandWhenRunForAUserThenSecondFactorRemovedSessionsEndedAndEnrollmentRequiredAgain() {
		HttpBrowser browser;
		try (ConfigurableApplicationContext app = web(KEY_A)) {
			browser = new HttpBrowser(port(app));
			String secret = browser.registerAndEnroll("judy", Clock.offset(this.clock, Duration.ofSeconds(-30)));
			browser.post("/logout", Map.of(), browser.get("/").csrfToken());
			browser.passwordStep("judy");
			assertThat(browser
				.submit("/verify-2fa", "/verify-2fa",
						Map.of("code", TestTotp.code(secret, this.clock.instant()), "rememberBrowser", "true"))
				.redirectPath()).isEqualTo("/");
			assertThat(app.getBean(JdbcTemplate.class)
				.queryForObject("select count(*) from trusted_browser", Integer.class)).isOne();
			browser.submit("/account", "/account/confirm",
					Map.of("code", TestTotp.code(secret, this.clock.instant().plus(Duration.ofSeconds(30)))));
			String csrf = browser.get("/account").csrfToken();
			String options = browser.postJson("/webauthn/register/options", "", csrf).body();
			SoftwareAuthenticator key = new SoftwareAuthenticator("http://localhost:8080");
			assertThat(browser.postJson("/webauthn/register", key.register(options, "Judy's key"), csrf).status())
				.isEqualTo(200);
		}

		PrintStream original = System.out;
		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		int exitCode;
		System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
		try {
			ConfigurableApplicationContext command = new SpringApplicationBuilder(TotpLoginApplication.class)
				.web(WebApplicationType.NONE)
				.run(arguments(KEY_A, "--reset-2fa=JUDY"));
			assertThat(command).as("the command runs without a web server")
				.isNotInstanceOf(WebServerApplicationContext.class);
			exitCode = SpringApplication.exit(command);
		}
		finally {
			System.setOut(original);
		}
		assertThat(exitCode).isZero();
		assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Reset two-factor authentication of 'judy'")
			.as("the line names everything removed")
			.contains("removed the authenticator (and any setup in progress), the recovery codes, the security keys "
					+ "and the trusted browsers; lifted the locks; ended the sessions");

		try (ConfigurableApplicationContext app = web(KEY_A)) {
			JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForList("select event_type from security_event", String.class))
				.contains("ADMIN_RESET");
			assertThat(jdbc.queryForObject("select count(*) from recovery_code", Integer.class)).isZero();
			assertThat(jdbc.queryForObject("select count(*) from trusted_browser", Integer.class))
				.as("the operator reset revokes trusted browsers")
				.isZero();
			assertThat(jdbc.queryForObject("select count(*) from user_credentials", Integer.class))
				.as("and removes security keys")
				.isZero();
			HttpBrowser fresh = new HttpBrowser(port(app));
			assertThat(fresh.passwordStep("judy").redirectPath()).isEqualTo("/setup-2fa");
			assertThat(fresh.get("/setup-2fa").body())
				.contains("Your two-factor authentication was reset by an administrator: set it up again.");
		}
	}

	/**
	 * H2 lets one process open the file: run while the application holds it, the command
	 * (in a process of its own, as an operator starts it) says so in one line and exits
	 * with 2. In the same JVM, H2 would share the open database instead.
	 */
	@Test
	void resetCommandWhenTheRunningApplicationHoldsTheEmbeddedDatabaseThenOneLineAndExitCodeTwo() throws Exception {
		try (ConfigurableApplicationContext app = web(KEY_A)) {
			new HttpBrowser(port(app)).registerAndEnroll("mike", this.clock);
			List<String> command = new ArrayList<>(
					List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
							System.getProperty("java.class.path"), TotpLoginApplication.class.getName()));
			command.addAll(List.of(arguments(KEY_A, "--reset-2fa=mike")));
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			// A bound for a stuck process, not a timing assertion.
			assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the command ended").isTrue();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.exitValue()).as(output).isEqualTo(2);
			assertThat(output.lines().filter((line) -> !line.isBlank())).as("one line, no stack trace")
				.singleElement(InstanceOfAssertFactories.STRING)
				.contains("is in use: stop the application first (the embedded database is single-process)")
				.contains(this.directory.resolve("db").toAbsolutePath().toString());
			assertThat(app.getBean(JdbcTemplate.class)
				.queryForObject("select count(*) from account where username = 'mike' and totp_secret is not null",
						Integer.class))
				.as("nothing changed")
				.isOne();
		}
	}

	@Test
	void resetCommandWhenUserUnknownThenNonZeroExitAndNothingChanged() {
		try (ConfigurableApplicationContext app = web(KEY_A)) {
			new HttpBrowser(port(app)).registerAndEnroll("kate", this.clock);
		}
		ConfigurableApplicationContext command = new SpringApplicationBuilder(TotpLoginApplication.class)
			.web(WebApplicationType.NONE)
			.run(arguments(KEY_A, "--reset-2fa=nobody"));
		assertThat(SpringApplication.exit(command)).isEqualTo(1);
	}

	@Test
	void keyRotationWhenNewKeyConfiguredWithOldAsPreviousThenSecretsReencryptedAndOldKeyCanGo() {
		String secret;
		String underA;
		try (ConfigurableApplicationContext app = web(KEY_A)) {
			secret = new HttpBrowser(port(app)).registerAndEnroll("leo", this.clock);
			underA = storedSecret(app);
		}
		String underB;
		try (ConfigurableApplicationContext app = web(KEY_B, "--app.security.encryption.previous-keys=" + KEY_A)) {
			underB = storedSecret(app);
			assertThat(signsIn(app, secret, 30)).isTrue();
		}
		assertThat(underA).startsWith("v1.").doesNotContain(secret);
		assertThat(underB.split("\\.")[1]).as("key id").isNotEqualTo(underA.split("\\.")[1]);
		try (ConfigurableApplicationContext app = web(KEY_B)) {
			long id = app.getBean(JdbcTemplate.class)
				.queryForObject("select id from account where username = 'leo'", Long.class);
			assertThat(app.getBean(SecretCipher.class).decrypt(storedSecret(app), "totp:" + id))
				.as("the secret reads with the new key alone")
				.isEqualTo(secret);
		}
	}

	private static String storedSecret(ConfigurableApplicationContext app) {
		return app.getBean(JdbcTemplate.class)
			.queryForObject("select totp_secret from account where username = 'leo'", String.class);
	}

	private boolean signsIn(ConfigurableApplicationContext app, String secret, int secondsAhead) {
		HttpBrowser browser = new HttpBrowser(port(app));
		assertThat(browser.passwordStep("leo").redirectPath()).isEqualTo("/verify-2fa");
		String code = TestTotp.code(secret, this.clock.instant().plus(Duration.ofSeconds(secondsAhead)));
		return "/".equals(browser.submit("/verify-2fa", "/verify-2fa", Map.of("code", code)).redirectPath());
	}

	private ConfigurableApplicationContext web(String key, String... more) {
		return new SpringApplicationBuilder(TotpLoginApplication.class).run(arguments(key, more));
	}

	private String[] arguments(String key, String... more) {
		List<String> arguments = new ArrayList<>(TestAccounts.TEST_SETTINGS);
		arguments.addAll(List.of("--server.port=0",
				"--spring.datasource.url=jdbc:h2:file:" + this.directory.resolve("db").toAbsolutePath(),
				"--app.security.encryption.key=" + key));
		arguments.addAll(List.of(more));
		return arguments.toArray(String[]::new);
	}

	private static int port(ConfigurableApplicationContext app) {
		return Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
	}

}
