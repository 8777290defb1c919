package dev.totplogin;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.Journeys;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded default keeps its data in a file: accounts survive a restart. */
class RestartPersistenceTests {

	@TempDir
	private Path directory;

	@Test
	void enrolledAccountWhenApplicationRestartsOnSameH2FileThenSignsInWithPasswordAndCode() {
		String url = "jdbc:h2:file:" + this.directory.resolve("totp-login").toAbsolutePath();
		Clock clock = Clock.systemUTC();
		String secret;
		try (ConfigurableApplicationContext app = start(url)) {
			secret = Journeys.registerAndEnroll(new HttpBrowser(port(app)), "heidi", clock);
		}
		try (ConfigurableApplicationContext app = start(url)) {
			HttpBrowser browser = new HttpBrowser(port(app));
			assertThat(Journeys.passwordStep(browser, "heidi").redirectPath()).isEqualTo("/verify-2fa");
			// The enrollment code's step is used: take the next one, which the ±1 window accepts.
			String code = TestTotp.code(secret, clock.instant().plus(Duration.ofSeconds(30)));
			HttpBrowser.Page verified = browser.submit("/verify-2fa", "/verify-2fa", Map.of("code", code));
			assertThat(verified.redirectPath()).isEqualTo("/");
			assertThat(browser.get("/").body()).contains("Signed in as heidi");
		}
	}

	private static ConfigurableApplicationContext start(String url) {
		// Arguments, not builder properties: those are defaults that application.yml would override.
		return new SpringApplicationBuilder(TotpLoginApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + url);
	}

	private static int port(ConfigurableApplicationContext app) {
		return Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
	}

}
