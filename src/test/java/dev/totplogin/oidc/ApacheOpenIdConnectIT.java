package dev.totplogin.oidc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.totplogin.support.ApacheHttpd;
import dev.totplogin.support.Chromium;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.ProviderPages;
import dev.totplogin.support.Recipes;
import dev.totplogin.support.TestClockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apache httpd with mod_auth_openidc (an OpenID-certified relying party nobody here
 * wrote, from Debian) protects a page with TOTP Login as its provider, configured by
 * {@code docs/integration/apache-openidc.conf} as it is. A person in Chromium signs in
 * through us and the page shows the claims Apache got; {@code max_age}, step-up by
 * {@code acr_values}, RP-initiated and back-channel logout.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
@Import(TestClockConfiguration.class)
class ApacheOpenIdConnectIT {

	private static final String RECIPE = "apache-openidc.conf";

	private static final Path SCREENSHOTS = Path.of("target", "screenshots", "issue29");

	private static final String SIGN_IN_AGAIN = "The application you came from asks you to sign in again. "
			+ "You will go back to it after.";

	private static final int APP_PORT = freePort();

	private static final int APACHE_PORT = freePort();

	private static final String PROVIDER = "http://localhost:" + APP_PORT;

	private static final String SITE = "http://localhost:" + APACHE_PORT;

	private static final Map<String, String> VARIABLES = Map.of("TOTP_LOGIN_URL", PROVIDER, "SITE_URL", SITE,
			"OIDC_CLIENT_SECRET", randomHex(16), "OIDC_CRYPTO_PASSPHRASE", randomHex(32));

	private static ApacheHttpd apache;

	private static ChromeDriver driver;

	@Autowired
	private MutableClock clock;

	private ProviderPages pages;

	private int users;

	@DynamicPropertySource
	static void providerWithTheRecipesClient(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> APP_PORT);
		registry.add("app.base-url", () -> PROVIDER);
		Recipes.clientProperties(RECIPE, VARIABLES).forEach((name, value) -> registry.add(name, () -> value));
	}

	@BeforeAll
	static void startApacheAndBrowser() {
		apache = ApacheHttpd.prepare(Recipes.path(RECIPE), APACHE_PORT, VARIABLES, pages());
		apache.start();
		driver = Chromium.start();
		driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(3));
	}

	@AfterAll
	static void stop() {
		if (driver != null) {
			driver.quit();
		}
		if (apache != null) {
			apache.close();
		}
	}

	@BeforeEach
	void freshBrowser() {
		driver.get(PROVIDER + "/login");
		driver.manage().deleteAllCookies();
		// Each test moves the clock on by a step per code: back to now, so the tokens'
		// times stay within the clients' allowed skew.
		this.clock.set(Instant.now());
		this.pages = new ProviderPages(driver, PROVIDER, this.clock);
	}

	@Test
	void recipeWhenCheckedByApacheThenSyntaxOk() {
		ApacheHttpd.Result check = apache.check();
		assertThat(check.exitStatus()).as(check.output()).isZero();
		assertThat(check.output()).contains("Syntax OK");
	}

	@Test
	void protectedPageWhenSignedInWithPasswordAndCodeThenApacheSeesAmrAndAcr() {
		String username = newUsername();
		String secret = this.pages.signUpAndEnroll(username);
		this.pages.signOut();

		driver.get(SITE + "/protected/");
		this.pages.passwordStep(username);
		this.pages.codeStep(secret, false);
		this.pages.expectAt(SITE + "/protected/");
		assertThat(this.pages.text("preferred-username")).isEqualTo(username);
		assertThat(this.pages.text("amr").split(",")).containsExactlyInAnyOrder("pwd", "otp", "mfa");
		assertThat(this.pages.text("acr")).isEqualTo("urn:totp-login:aal2");
		assertThat(this.pages.text("sub")).isNotBlank().isNotEqualTo(username);
		assertThat(Long.parseLong(this.pages.text("auth-time"))).isEqualTo(this.clock.instant().getEpochSecond());
		this.pages.screenshot(SCREENSHOTS.resolve("apache-signed-in.png"));
	}

	@Test
	void freshPageWhenMaxAgeIsZeroThenThePasswordIsAskedAgainThoughSignedIn() {
		String username = newUsername();
		String secret = this.pages.signUpAndEnroll(username);
		this.pages.signOut();
		driver.get(SITE + "/protected/");
		this.pages.passwordStep(username);
		this.pages.codeStep(secret, false);
		this.pages.expectAt(SITE + "/protected/");
		long signedInAt = Long.parseLong(this.pages.text("auth-time"));

		forgetApacheSession();
		this.clock.advance(Duration.ofSeconds(60));
		driver.get(SITE + "/protected/");
		this.pages.expectAt(SITE + "/protected/");
		assertThat(Long.parseLong(this.pages.text("auth-time"))).as("single sign-on: no new sign-in")
			.isEqualTo(signedInAt);

		forgetApacheSession();
		driver.get(SITE + "/protected/fresh/");
		this.pages.expectAt(PROVIDER + "/login");
		assertThat(this.pages.status()).isEqualTo(SIGN_IN_AGAIN);
		// A fresh sign-in from the password on: this browser is not trusted, so the code
		// too.
		this.pages.passwordStep(username);
		this.pages.codeStep(secret, false);
		this.pages.expectAt(SITE + "/protected/fresh/");
		assertThat(Long.parseLong(this.pages.text("auth-time"))).as("the password typed again")
			.isGreaterThanOrEqualTo(signedInAt + 60);
		assertThat(this.pages.text("amr").split(",")).contains("pwd");
	}

	@Test
	void aal2PageWhenSignedInFromATrustedBrowserThenTheCodeIsAskedForAndAcrRises() {
		String username = newUsername();
		String secret = this.pages.signUpAndEnroll(username);
		this.pages.signOut();
		this.pages.passwordStep(username);
		this.pages.codeStep(secret, true);
		this.pages.expectAt(PROVIDER + "/");
		// Closed, not signed out: a sign-out ends the trust's stand-in until the next
		// code.
		this.pages.closeAndReopen();

		driver.get(SITE + "/protected/");
		this.pages.passwordStep(username);
		this.pages.expectAt(SITE + "/protected/");
		assertThat(this.pages.text("acr")).as("the trusted browser skipped the code").isEqualTo("urn:totp-login:aal1");
		assertThat(this.pages.text("amr")).isEqualTo("pwd");

		driver.get(SITE + "/protected/aal2/");
		this.pages.expectAt(PROVIDER + "/login");
		assertThat(this.pages.status()).isEqualTo(SIGN_IN_AGAIN);
		// Signs in again, and this time the trusted browser does not stand in for the
		// code.
		this.pages.passwordStep(username);
		this.pages.codeStep(secret, false);
		this.pages.expectAt(SITE + "/protected/aal2/");
		assertThat(this.pages.text("acr")).isEqualTo("urn:totp-login:aal2");
		assertThat(this.pages.text("amr").split(",")).contains("pwd", "otp", "mfa");
		assertThat(this.pages.text("preferred-username")).isEqualTo(username);
	}

	@Test
	void signOutLinkWhenFollowedThenSignedOutOfApacheAndOfTheProvider() {
		String username = newUsername();
		signedInAtApache(username);

		driver.findElement(By.id("sign-out")).click();
		this.pages.expectAt(SITE + "/loggedout.html");
		driver.get(PROVIDER + "/");
		this.pages.expectAt(PROVIDER + "/login");
		driver.get(SITE + "/protected/");
		this.pages.expectAt(PROVIDER + "/login");
	}

	@Test
	void signOutHereWhenSignedInAtApacheThenBackChannelLogoutEndsTheApacheSession() {
		String username = newUsername();
		signedInAtApache(username);

		this.pages.signOut();
		assertThat(this.pages.cookieNames()).as("Apache's own session cookie is still in the browser")
			.anyMatch((name) -> name.startsWith("mod_auth_openidc_session"));
		// Apache's session ends when the logout token arrives (through the outbox: poll).
		new WebDriverWait(driver, Duration.ofSeconds(20)).pollingEvery(Duration.ofMillis(500))
			.ignoring(WebDriverException.class)
			.withMessage(() -> "Apache still serves the page: no back-channel logout arrived\n" + apache.output())
			.until((d) -> {
				driver.get(SITE + "/protected/");
				return (PROVIDER + "/login").equals(ProviderPages.withoutQuery(driver.getCurrentUrl()));
			});
	}

	/** Signs up, signs out, and signs in again through Apache: at Apache's page. */
	private void signedInAtApache(String username) {
		String secret = this.pages.signUpAndEnroll(username);
		this.pages.signOut();
		driver.get(SITE + "/protected/");
		this.pages.passwordStep(username);
		this.pages.codeStep(secret, false);
		this.pages.expectAt(SITE + "/protected/");
		assertThat(this.pages.text("preferred-username")).isEqualTo(username);
	}

	/** Apache's cookies only: the provider's session and trusted browser stay. */
	private static void forgetApacheSession() {
		for (Cookie cookie : driver.manage().getCookies()) {
			if (cookie.getName().startsWith("mod_auth_openidc")) {
				driver.manage().deleteCookieNamed(cookie.getName());
			}
		}
	}

	/** The pages Apache serves: each protected one shows the claims it got from us. */
	private static Map<String, String> pages() {
		String signOut = "/protected/redirect_uri?logout="
				+ URLEncoder.encode(SITE + "/loggedout.html", StandardCharsets.UTF_8);
		String claims = Arrays.stream(new String[] { "preferred_username", "amr", "acr", "auth_time", "sub", "sid" })
			.map((claim) -> "<dt>" + claim + "</dt><dd id=\"" + claim.replace('_', '-')
					+ "\"><!--#echo var=\"OIDC_CLAIM_" + claim + "\" --></dd>")
			.reduce("", String::concat);
		String page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
				+ "<title>Signed in through TOTP Login · Apache httpd</title>"
				+ "<style>body{font-family:sans-serif;margin:2rem}dt{font-weight:bold}"
				+ "dd{font-family:monospace;margin:0 0 .5rem 1rem}</style></head><body><main>"
				+ "<h1>Signed in through TOTP Login</h1><p>Apache httpd with mod_auth_openidc, page "
				+ "<code><!--#echo var=\"DOCUMENT_URI\" --></code></p><dl>" + claims
				+ "</dl><p><a id=\"sign-out\" href=\"" + signOut + "\">Sign out</a></p></main></body></html>";
		return Map.of("protected/index.shtml", page, "protected/aal2/index.shtml", page, "protected/fresh/index.shtml",
				page, "loggedout.html",
				"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signed out</title></head>"
						+ "<body><main><h1 id=\"signed-out\">Signed out</h1></main></body></html>");
	}

	private String newUsername() {
		return "apache" + (++this.users) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
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
