package dev.totplogin.oidc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.totplogin.support.Chromium;
import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.ProviderPages;
import dev.totplogin.support.Recipes;
import dev.totplogin.support.TestClockConfiguration;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import relyingparty.RelyingPartyApplication;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot application with Spring Security's {@code oauth2Login} (the
 * {@link RelyingPartyApplication}, configured by
 * {@code docs/integration/spring-client.yml} as it is) signs people in through TOTP
 * Login: it sees {@code amr} and {@code acr}, signs out through us (RP-initiated logout),
 * and loses its session by back-channel logout when the person signs out everywhere else
 * from another device.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
@Import(TestClockConfiguration.class)
class SpringClientOpenIdConnectIT {

	private static final String RECIPE = "spring-client.yml";

	private static final Path SCREENSHOTS = Path.of("target", "screenshots", "issue29");

	private static final int APP_PORT = freePort();

	private static final int CLIENT_PORT = freePort();

	private static final String PROVIDER = "http://localhost:" + APP_PORT;

	private static final String CLIENT = "http://localhost:" + CLIENT_PORT;

	private static final String SECRET = randomHex(16);

	private static ConfigurableApplicationContext client;

	private static ChromeDriver driver;

	@Autowired
	private MutableClock clock;

	private ProviderPages pages;

	private int users;

	@DynamicPropertySource
	static void providerWithTheRecipesClient(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> APP_PORT);
		registry.add("app.base-url", () -> PROVIDER);
		Recipes.clientProperties(RECIPE, Map.of("SITE_URL", CLIENT, "OIDC_CLIENT_SECRET", SECRET))
			.forEach((name, value) -> registry.add(name, () -> value));
	}

	@BeforeAll
	static void startBrowser() {
		driver = Chromium.start();
		driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(3));
	}

	@AfterAll
	static void stop() {
		if (driver != null) {
			driver.quit();
		}
		if (client != null) {
			client.close();
		}
	}

	/**
	 * The client reads our discovery document when it starts, so it starts once the
	 * provider runs.
	 */
	@BeforeEach
	void clientStartedAndFreshBrowser() {
		if (client == null) {
			client = RelyingPartyApplication.start(Recipes.path(RECIPE), CLIENT_PORT,
					Map.of("TOTP_LOGIN_URL", PROVIDER, "OIDC_CLIENT_SECRET", SECRET));
		}
		driver.get(PROVIDER + "/login");
		driver.manage().deleteAllCookies();
		// Each test moves the clock on by a step per code: back to now, so the tokens'
		// times stay within the client's allowed skew.
		this.clock.set(Instant.now());
		this.pages = new ProviderPages(driver, PROVIDER, this.clock);
	}

	@Test
	void homeWhenSignedInThroughTheProviderThenTheClientSeesAmrAndAcr() {
		String username = newUsername();
		signedInAtTheClient(username);
		assertThat(this.pages.text("amr").split(" ")).containsExactlyInAnyOrder("pwd", "otp", "mfa");
		assertThat(this.pages.text("acr")).isEqualTo("urn:totp-login:aal2");
		assertThat(Long.parseLong(this.pages.text("auth-time"))).isEqualTo(this.clock.instant().getEpochSecond());
		assertThat(this.pages.text("sub")).isNotBlank().isNotEqualTo(username);
		assertThat(this.pages.text("sid")).isNotBlank().isNotEqualTo("null");
		this.pages.screenshot(SCREENSHOTS.resolve("spring-client-signed-in.png"));
	}

	@Test
	void signOutWhenClientInitiatedThenSignedOutOfTheClientAndOfTheProvider() {
		signedInAtTheClient(newUsername());

		driver.findElement(By.id("sign-out")).click();
		this.pages.expectAt(CLIENT + "/signed-out");
		driver.get(PROVIDER + "/");
		this.pages.expectAt(PROVIDER + "/login");
		driver.get(CLIENT + "/");
		this.pages.expectAt(PROVIDER + "/login");
	}

	@Test
	void signOutEverywhereElseWhenFromAnotherDeviceThenBackChannelLogoutEndsTheClientSession() {
		String username = newUsername();
		String secret = signedInAtTheClient(username);

		HttpBrowser phone = new HttpBrowser(APP_PORT);
		assertThat(phone.passwordStep(username).redirectPath()).isEqualTo("/verify-2fa");
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(
				phone.submit("/verify-2fa", "/verify-2fa", Map.of("code", TestTotp.code(secret, this.clock.instant())))
					.redirectPath())
			.isEqualTo("/");
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(phone
			.submit("/account", "/account/sessions", Map.of("code", TestTotp.code(secret, this.clock.instant())))
			.redirectPath()).isEqualTo("/account");

		// The client's session ends when the logout token arrives (through the outbox:
		// poll).
		new WebDriverWait(driver, Duration.ofSeconds(20)).pollingEvery(Duration.ofMillis(500))
			.ignoring(WebDriverException.class)
			.withMessage("the client still serves its page: no back-channel logout arrived")
			.until((d) -> {
				driver.get(CLIENT + "/");
				return (PROVIDER + "/login").equals(ProviderPages.withoutQuery(driver.getCurrentUrl()));
			});
	}

	/** Signs up, signs out, and signs in again through the client: at its home page. */
	private String signedInAtTheClient(String username) {
		String secret = this.pages.signUpAndEnroll(username);
		this.pages.signOut();
		driver.get(CLIENT + "/");
		this.pages.passwordStep(username);
		this.pages.codeStep(secret, false);
		this.pages.expectAt(CLIENT + "/");
		assertThat(this.pages.text("preferred-username")).isEqualTo(username);
		return secret;
	}

	private String newUsername() {
		return "spring" + (++this.users) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
	}

	private static String randomHex(int bytes) {
		byte[] random = new byte[bytes];
		ThreadLocalRandom.current().nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
