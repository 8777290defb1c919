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

import dev.totplogin.TotpLoginApplication;
import dev.totplogin.crypto.SecretCipher;
import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.SoftwareAuthenticator;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestTotp;
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
		assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Reset two-factor authentication of 'judy'");

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
