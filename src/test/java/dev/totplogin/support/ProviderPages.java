package dev.totplogin.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person at the app's own pages in Chromium, for tests whose journey starts or ends
 * elsewhere (an OpenID Connect client): signs up and enrolls, passes the password and
 * code steps, signs out. Pages are named by full URL (scheme, host, port, path), since
 * the browser moves between sites.
 */
public final class ProviderPages {

	private final ChromeDriver driver;

	private final String baseUrl;

	private final MutableClock clock;

	public ProviderPages(ChromeDriver driver, String baseUrl, MutableClock clock) {
		this.driver = driver;
		this.baseUrl = baseUrl;
		this.clock = clock;
	}

	public String url(String path) {
		return this.baseUrl + path;
	}

	/** Registers and enrolls the authenticator: at the home page, signed in. */
	public String signUpAndEnroll(String username) {
		this.driver.get(url("/register"));
		fill("username", username);
		fill("password", TestAccounts.PASSWORD);
		fill("confirmPassword", TestAccounts.PASSWORD);
		submit();
		expectAt(url("/setup-2fa"));
		String secret = QrCodes.secretOf(this.driver.findElement(By.id("open-in-app")).getAttribute("href"));
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();
		expectAt(url("/recovery-codes"));
		this.driver.findElement(By.id("codes-saved")).click();
		expectAt(url("/"));
		return secret;
	}

	/**
	 * The browser closed and opened again: the provider's session cookie gone, its
	 * trusted browser's cookie kept.
	 */
	public void closeAndReopen() {
		this.driver.get(url("/"));
		this.driver.manage().deleteCookieNamed("SESSION");
	}

	/** The header's sign-out button: at the sign-in page. */
	public void signOut() {
		this.driver.get(url("/"));
		expectAt(url("/"));
		this.driver.findElement(By.cssSelector("header button[type=submit]")).click();
		expectAt(url("/login"));
	}

	/** At the sign-in page (wherever it was sent from): types the password. */
	public void passwordStep(String username) {
		expectAt(url("/login"));
		// A person takes a few seconds to type (and the test's clock stands still
		// otherwise).
		this.clock.advance(Duration.ofSeconds(5));
		fill("username", username);
		fill("password", TestAccounts.PASSWORD);
		submit();
	}

	/**
	 * At the code page: types the next code (the clock moves on by a step, so a code is
	 * never used twice), ticking "don't ask again on this browser" if asked.
	 */
	public void codeStep(String secret, boolean trustThisBrowser) {
		expectAt(url("/verify-2fa"));
		if (trustThisBrowser) {
			WebElement remember = this.driver.findElement(By.id("remember-browser"));
			if (!remember.isSelected()) {
				remember.click();
			}
		}
		this.clock.advance(Duration.ofSeconds(30));
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();
	}

	/** Waits until the browser is at this URL (query ignored) and the page is loaded. */
	public void expectAt(String expected) {
		// Every 100 ms, not WebDriverWait's 500: this wait is in every step of a journey.
		new WebDriverWait(this.driver, Duration.ofSeconds(15)).pollingEvery(Duration.ofMillis(100))
			.ignoring(WebDriverException.class)
			.withMessage(() -> "expected the browser at " + expected + ", it is at " + this.driver.getCurrentUrl() + " "
					+ this.driver.findElements(By.cssSelector("h1, .invalid-feedback, [role=status], .alert"))
						.stream()
						.map(WebElement::getText)
						.toList()
					+ "; " + activity())
			.until((d) -> expected.equals(withoutQuery(this.driver.getCurrentUrl())) && loaded());
	}

	/**
	 * What the browser did since the last look, for a failure message: the pages it asked
	 * for (not their assets), failed loads and console errors (a blocked redirect says
	 * why there).
	 */
	private String activity() {
		Chromium.Activity activity = Chromium.drainActivity(this.driver);
		List<URI> pages = activity.requests()
			.stream()
			.filter((request) -> "http".equals(request.getScheme()))
			.filter((request) -> !request.getPath().matches(".*\\.(css|js|svg|png|ico|woff2?)"))
			.toList();
		return "requests: " + pages + "; failures: " + activity.failures() + "; console: " + activity.consoleErrors();
	}

	/** The page's status message (e.g. why it asks to sign in). */
	public String status() {
		return this.driver.findElement(By.cssSelector("[role=status]")).getText();
	}

	/** The text of the element with this id on the current page. */
	public String text(String id) {
		return this.driver.findElement(By.id(id)).getText();
	}

	public static String withoutQuery(String url) {
		URI uri = URI.create(url);
		return uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
	}

	/** Names of the cookies the browser holds for localhost (every port). */
	public List<String> cookieNames() {
		return this.driver.manage().getCookies().stream().map((cookie) -> cookie.getName()).toList();
	}

	/** The whole current page as a PNG file (directories created). */
	@SuppressWarnings("unchecked")
	public void screenshot(Path file) {
		Map<String, Object> metrics = this.driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
		Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
		Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", size.get("width"), "height", size.get("height"),
				"scale", 1);
		Map<String, Object> shot = this.driver.executeCdpCommand("Page.captureScreenshot",
				Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
		try {
			Files.createDirectories(file.getParent());
			Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private boolean loaded() {
		return "complete".equals(this.driver.executeScript("return document.readyState;"));
	}

	private void fill(String id, String text) {
		WebElement field = this.driver.findElement(By.id(id));
		field.clear();
		field.sendKeys(text);
		assertThat(field.getAttribute("value")).isEqualTo(text);
	}

	private void submit() {
		this.driver.switchTo().activeElement().submit();
	}

}
