package dev.totplogin.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;

import java.time.Duration;

import java.util.List;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import dev.totplogin.support.Chromium;
import dev.totplogin.support.Screenshots;
import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestClockConfiguration;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin console in a real (headless) Chromium, one journey: an administrator signs in
 * with a code, searches, opens an account, confirms with a code and disables it, then
 * confirms with a security key (the account page's script, under the console's CSP) and
 * enables it again. Each page is checked with axe-core (no serious or critical violation)
 * under the console's own CSP, and the list, the account and the action's confirmation
 * are saved under target/screenshots (admin-*.png, copied to docs/screenshots).
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
@Import(TestClockConfiguration.class)
class AdminConsoleIT {

	/**
	 * A port chosen before the start: security keys are bound to the origin of
	 * {@code app.base-url}, so the browser must be on exactly that one.
	 */
	private static final int PORT = freePort();

	private static ChromeDriver driver;

	@LocalServerPort
	private int port;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@DynamicPropertySource
	static void onTheBaseUrlsPort(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
		registry.add("app.base-url", () -> "http://localhost:" + PORT);
	}

	@BeforeAll
	static void startBrowser() throws IOException {
		driver = Chromium.start();
		driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(3));
		Chromium.emulateDesktop(driver);
		Files.createDirectories(Screenshots.DIRECTORY);
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
	}

	@Test
	void consoleWhenAnAdministratorDisablesAfterACodeAndEnablesAfterASecurityKeyThenBothTakeEffect() {
		String suffix = Long.toHexString(System.nanoTime() & 0xffffff);
		String target = "support-ann-" + suffix;
		for (String username : List.of(target, "support-bob-" + suffix, "support-cy-" + suffix)) {
			new HttpBrowser(this.port).registerAndEnroll(username, username + "@mail.example", this.clock);
		}
		this.jdbc.update("update account set email_key = lower(email), email_verified_at = current_timestamp "
				+ "where username like 'support-%'");
		String admin = "admin-" + suffix;
		String secret = new HttpBrowser(this.port).registerAndEnroll(admin, this.clock);
		this.jdbc.update("update account set admin = true where username = ?", admin);

		open("/login");
		fill("username", admin);
		fill("password", TestAccounts.PASSWORD);
		submit();
		expectPath("/verify-2fa");
		this.clock.advance(Duration.ofSeconds(30));
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();
		expectPath("/");

		open("/admin");
		fill("q", "Support-");
		submit();
		expectPath("/admin");
		assertThat(driver.findElements(By.cssSelector("#results .account-entry"))).hasSize(3);
		checkPage("admin-accounts");

		driver.findElement(By.linkText(target)).click();
		expectPath("/admin/accounts/" + id(target));
		assertThat(driver.findElement(By.id("account-state")).getText()).isEqualTo("Active");
		assertThat(driver.findElement(By.id("verified-email")).getText()).isEqualTo(target + "@mail.example");
		checkPage("admin-account");

		// An action needs a code from the last five minutes: the console asks for one.
		this.clock.advance(Duration.ofMinutes(5).plusSeconds(30));
		driver.findElement(By.linkText("Disable the account")).click();
		expectPath("/admin/accounts/" + id(target) + "/disable");
		driver.findElement(By.cssSelector("#confirm-action button")).click();
		expectPath("/admin/confirm");
		fill("admin-code", TestTotp.code(secret, this.clock.instant()));
		submit();
		expectPath("/admin");

		open("/admin/accounts/" + id(target) + "/disable");
		assertThat(driver.findElement(By.id("confirm-action")).getText()).contains(target);
		checkPage("admin-confirm-action");
		driver.findElement(By.cssSelector("#confirm-action button")).click();
		expectPath("/admin/accounts/" + id(target));
		assertThat(driver.findElement(By.id("account-state")).getText()).startsWith("Disabled");
		assertThat(this.jdbc.queryForObject("select disabled_at is not null from account where username = ?",
				Boolean.class, target))
			.isTrue();

		// A security key as the console's fresh proof: added on the account page, then
		// used on /admin/confirm, five minutes later.
		VirtualAuthenticator key = driver.addVirtualAuthenticator(
				new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
					.setTransport(VirtualAuthenticatorOptions.Transport.USB)
					.setHasResidentKey(true)
					.setHasUserVerification(true)
					.setIsUserVerified(true));
		try {
			open("/account");
			fill("security-key-name", "Admin key");
			click(driver.findElement(By.id("add-kind-security-key")));
			new WebDriverWait(driver, Duration.ofSeconds(10))
				.until(ExpectedConditions.textToBePresentInElementLocated(By.id("security-key-list"), "Admin key"));
			this.clock.advance(Duration.ofMinutes(5).plusSeconds(30));
			open("/admin/confirm");
			click(driver.findElement(By.cssSelector("#confirm-with-key button")));
			new WebDriverWait(driver, Duration.ofSeconds(10))
				.until(ExpectedConditions.presenceOfElementLocated(By.id("confirmed")));
			expectPath("/admin/confirm");
			open("/admin/accounts/" + id(target));
			click(driver.findElement(By.cssSelector("form[action$='/enable'] button")));
			expectPath("/admin/accounts/" + id(target));
			assertThat(driver.findElement(By.id("account-state")).getText()).isEqualTo("Active");
		}
		finally {
			driver.removeVirtualAuthenticator(key);
		}
	}

	private static void click(WebElement element) {
		driver.executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element);
		element.click();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private long id(String username) {
		return this.jdbc.queryForObject("select id from account where username = ?", Long.class, username);
	}

	/** One h1, no serious or critical axe-core violation, and the page's screenshot. */
	private static void checkPage(String name) {
		new WebDriverWait(driver, Duration.ofSeconds(10)).until((d) -> pageLoaded());
		assertThat(driver.findElements(By.tagName("h1"))).as("one h1 on " + name).hasSize(1);
		Results results = new AxeBuilder().analyze(driver);
		assertThat(results.getViolations()
			.stream()
			.filter((rule) -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
			.map((rule) -> rule.getId() + " " + rule.getNodes().size() + " node(s)"))
			.as("axe-core serious or critical violations on " + name)
			.isEmpty();
		Screenshots.page(driver, name);
	}

	private void open(String path) {
		driver.get("http://localhost:" + this.port + path);
	}

	private static void fill(String id, String text) {
		WebElement field = driver.findElement(By.id(id));
		field.clear();
		field.sendKeys(text);
	}

	private static void submit() {
		driver.switchTo().activeElement().submit();
	}

	private static void expectPath(String expected) {
		new WebDriverWait(driver, Duration.ofSeconds(10))
			.withMessage(() -> "expected the browser at " + expected + ", it is at " + path() + " "
					+ driver.findElements(By.className("alert")).stream().map(WebElement::getText).toList())
			.until((d) -> expected.equals(path()) && pageLoaded());
	}

	private static String path() {
		return URI.create(driver.getCurrentUrl()).getPath();
	}

	private static boolean pageLoaded() {
		return "complete".equals(driver.executeScript("return document.readyState;"));
	}

}
