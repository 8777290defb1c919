package dev.totplogin.settings;

import java.net.URI;
import java.time.Duration;

import dev.totplogin.support.Chromium;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.QrCodes;
import dev.totplogin.support.Screenshots;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestClockConfiguration;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delete flow in a real browser, lean: sign up, the account page's "Delete account"
 * section with its warning, the password and a code, then the sign-in page saying so.
 * Screenshots under {@code target/screenshots} ({@code delete-account-*.png}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(TestClockConfiguration.class)
class AccountEndIT {

	private static ChromeDriver driver;

	@LocalServerPort
	private int port;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@BeforeAll
	static void startBrowser() {
		driver = Chromium.start();
		driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(3));
		Chromium.emulateDesktop(driver);
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
	}

	@Test
	void deleteWhenPasswordAndCodeThenSignedOutWithTheNoticeAndTheAccountGone() throws Exception {
		String username = "leaving-" + Long.toHexString(System.nanoTime() & 0xffffff);
		String secret = signUp(username);
		driver.get(url("/account"));
		WebElement section = driver.findElement(By.id("delete"));
		assertThat(section.getText()).contains("This cannot be undone").contains("stays taken for 30 days");
		driver.executeScript("arguments[0].scrollIntoView({block: 'end', behavior: 'instant'});", section);
		waitFor(() -> ((Number) driver.executeScript("return window.scrollY;")).doubleValue() > 0);
		Screenshots.view(driver, "delete-account-section");

		this.clock.advance(Duration.ofSeconds(30));
		driver.findElement(By.id("da-current")).sendKeys(TestAccounts.PASSWORD);
		driver.findElement(By.id("da-code")).sendKeys(TestTotp.code(secret, this.clock.instant()));
		section.findElement(By.cssSelector("button[type=submit]")).click();
		waitFor(() -> path().equals("/login"));
		assertThat(driver.findElement(By.cssSelector("[role=status]")).getText())
			.isEqualTo("Your account has been deleted. You are signed out everywhere.");
		Screenshots.page(driver, "delete-account-done");

		assertThat(this.jdbc.queryForObject("select count(*) from account where username = ?", Integer.class, username))
			.isZero();
		driver.get(url("/account"));
		waitFor(() -> path().equals("/login"));
	}

	private String signUp(String username) {
		driver.get(url("/register"));
		fill("username", username);
		fill("password", TestAccounts.PASSWORD);
		fill("confirmPassword", TestAccounts.PASSWORD);
		driver.switchTo().activeElement().submit();
		waitFor(() -> path().equals("/setup-2fa"));
		String secret = QrCodes.secretOf(driver.findElement(By.id("open-in-app")).getAttribute("href"));
		fill("code", TestTotp.code(secret, this.clock.instant()));
		driver.switchTo().activeElement().submit();
		waitFor(() -> path().equals("/recovery-codes"));
		return secret;
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private static String path() {
		return URI.create(driver.getCurrentUrl()).getPath();
	}

	private static void fill(String id, String text) {
		WebElement field = driver.findElement(By.id(id));
		field.clear();
		field.sendKeys(text);
	}

	private static void waitFor(java.util.function.BooleanSupplier condition) {
		new WebDriverWait(driver, Duration.ofSeconds(10)).withMessage(() -> "browser at " + driver.getCurrentUrl())
			.until((d) -> condition.getAsBoolean()
					&& "complete".equals(driver.executeScript("return document.readyState;")));
	}

}
