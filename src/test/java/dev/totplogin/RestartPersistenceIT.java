package dev.totplogin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded default keeps its data in a file: accounts survive a restart. */
class RestartPersistenceIT {

	@TempDir
	private Path directory;

	/**
	 * Sessions live in the database (Spring Session JDBC): a restart signs nobody out.
	 */
	@Test
	void signedInSessionWhenApplicationRestartsThenStillSignedIn() {
		HttpBrowser browser;
		try (ConfigurableApplicationContext app = start()) {
			browser = new HttpBrowser(port(app));
			browser.registerAndEnroll("mallory.restart", Clock.systemUTC());
			assertThat(browser.get("/").status()).isEqualTo(200);
		}
		try (ConfigurableApplicationContext app = start()) {
			HttpBrowser same = browser.at(port(app));
			HttpBrowser.Page home = same.get("/");
			assertThat(home.status()).isEqualTo(200);
			assertThat(home.body()).contains("Signed in as mallory.restart");
		}
	}

	@Test
	void enrolledAccountWhenApplicationRestartsOnSameH2FileThenSignsInWithPasswordAndCode() throws IOException {
		Clock clock = Clock.systemUTC();
		String secret;
		try (ConfigurableApplicationContext app = start()) {
			secret = new HttpBrowser(port(app)).registerAndEnroll("heidi", clock);
		}
		assertThat(Files.readString(this.directory.resolve("encryption.key")).strip())
			.as("a local key generated on first start")
			.hasSize(44);
		try (ConfigurableApplicationContext app = start()) {
			HttpBrowser browser = new HttpBrowser(port(app));
			assertThat(browser.passwordStep("heidi").redirectPath()).isEqualTo("/verify-2fa");
			// The enrollment code's step is used: take the next one, which the ±1 window
			// accepts.
			String code = TestTotp.code(secret, clock.instant().plus(Duration.ofSeconds(30)));
			HttpBrowser.Page verified = browser.submit("/verify-2fa", "/verify-2fa", Map.of("code", code));
			assertThat(verified.redirectPath()).isEqualTo("/");
			assertThat(browser.get("/").body()).contains("Signed in as heidi");
		}
	}

	/**
	 * Nothing about the TOTP secret is in the database files: not as Base32, hex, base64
	 * or raw bytes.
	 */
	@Test
	void databaseFileWhenScannedAfterShutdownThenHoldsNoTotpSecretInAnyEncoding() throws IOException {
		String secret;
		try (ConfigurableApplicationContext app = start()) {
			secret = new HttpBrowser(port(app)).registerAndEnroll("ivy.scan", Clock.systemUTC());
		}
		byte[] raw = TestTotp.base32Decode(secret);
		List<byte[]> encodings = List.of(secret.getBytes(StandardCharsets.US_ASCII),
				secret.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII), raw,
				HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII),
				HexFormat.of().withUpperCase().formatHex(raw).getBytes(StandardCharsets.US_ASCII),
				Base64.getEncoder().encode(raw), Base64.getUrlEncoder().withoutPadding().encode(raw),
				secret.getBytes(StandardCharsets.UTF_16BE));
		List<Path> files;
		try (Stream<Path> walk = Files.walk(this.directory)) {
			files = walk.filter((path) -> path.getFileName().toString().endsWith(".db")).toList();
		}
		assertThat(files).isNotEmpty();
		boolean usernameFound = false;
		for (Path file : files) {
			byte[] content = Files.readAllBytes(file);
			usernameFound |= contains(content, "ivy.scan".getBytes(StandardCharsets.US_ASCII));
			for (byte[] encoding : encodings) {
				assertThat(contains(content, encoding)).as("secret found in " + file).isFalse();
			}
		}
		assertThat(usernameFound).as("the scan does find what is stored in plain text").isTrue();
	}

	private ConfigurableApplicationContext start() {
		String url = "jdbc:h2:file:" + this.directory.resolve("totp-login").toAbsolutePath();
		// Arguments, not builder properties: those are defaults that application.yml
		// would override.
		List<String> arguments = new ArrayList<>(TestAccounts.TEST_SETTINGS);
		arguments.addAll(List.of("--server.port=0", "--spring.datasource.url=" + url,
				"--app.security.encryption.key-file=" + this.directory.resolve("encryption.key")));
		return new SpringApplicationBuilder(TotpLoginApplication.class).run(arguments.toArray(String[]::new));
	}

	private static boolean contains(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}

	private static int port(ConfigurableApplicationContext app) {
		return Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
	}

}
