package dev.totplogin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import dev.totplogin.support.Chromium;
import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.Mailbox;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.QrCodes;
import dev.totplogin.support.Screenshots;
import dev.totplogin.support.TestClockConfiguration;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

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
 * A person in a real (headless) Chromium: signs up, scans the QR code from a screenshot
 * of the page, types the code an independent TOTP implementation computes, signs out and
 * in again. Every page visited is checked with axe-core (no serious or critical
 * violation), has one h1, no horizontal scroll, and is saved under target/screenshots.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
@Import(TestClockConfiguration.class)
class BrowserJourneyIT {

	private static final String PASSWORD = "a long and memorable phrase";

	private static final String WRONG_CODE_MESSAGE = "That code didn't work. Check that your phone's time is set "
			+ "automatically, then try the newest code.";

	/** Page name → axe-core outcome, written out after the run for the record. */
	private static final Map<String, String> axeOutcomes = new TreeMap<>();

	/**
	 * A port chosen before the start: security keys are bound to the origin of
	 * {@code app.base-url}, so the browser must be on exactly that one.
	 */
	private static final int PORT = freePort();

	/**
	 * How long a look for an element may wait for it: elements a test looks for may
	 * belong to a page still on its way after a click.
	 */
	private static final Duration IMPLICIT_WAIT = Duration.ofSeconds(3);

	/**
	 * How often a wait looks again (WebDriverWait's default, 500 ms, was added to almost
	 * every step of every journey).
	 */
	private static final Duration POLL = Duration.ofMillis(100);

	/**
	 * The page has stopped scrolling once two looks this far apart see the same position
	 * (a smooth scroll moves it every frame).
	 */
	private static final Duration SCROLL_SAMPLE = Duration.ofMillis(200);

	private static ChromeDriver driver;

	@LocalServerPort
	private int port;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	private int users;

	private List<String> lastRecoveryCodes = List.of();

	@DynamicPropertySource
	static void onTheBaseUrlsPort(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
		registry.add("app.base-url", () -> "http://localhost:" + PORT);
		// An application behind forward auth, whose answer shows a sign-in's amr and acr.
		registry.add("app.forward-auth.domains", () -> "https://app.example.test");
	}

	@BeforeAll
	static void startBrowser() throws IOException {
		driver = Chromium.start();
		driver.manage().timeouts().implicitlyWait(IMPLICIT_WAIT);
		Files.createDirectories(Screenshots.DIRECTORY);
	}

	@AfterAll
	static void stopBrowser() throws IOException {
		if (driver != null) {
			driver.quit();
		}
		String report = axeOutcomes.entrySet()
			.stream()
			.map((e) -> "| " + e.getKey() + " | " + e.getValue() + " |")
			.collect(Collectors.joining("\n", "| page | axe-core result |\n|---|---|\n", "\n"));
		Files.writeString(Screenshots.DIRECTORY.resolve("axe-report.md"), report);
	}

	@BeforeEach
	void freshBrowserState() {
		Chromium.emulateDesktop(driver);
		Chromium.acceptLanguage(driver, null);
		driver.get(url("/login"));
		driver.manage().deleteAllCookies();
		Chromium.drainActivity(driver);
	}

	@Test
	void journeyWhenNewPersonSignsUpScansQrAndSignsInAgainThenHomeEachTime() throws Exception {
		String username = newUsername();
		open("/register");
		checkPage("register");
		fill("username", username);
		fill("password", PASSWORD);
		fill("confirmPassword", PASSWORD);
		submit();

		expectPath("/setup-2fa");
		checkPage("setup-2fa");
		String uri = qrCodeOnScreen();
		assertThat(uri).startsWith("otpauth://totp/TOTP%20Login:" + username + "?secret=");
		String secret = QrCodes.secretOf(uri);
		driver.findElement(By.cssSelector("#key-details summary")).click();
		assertThat(driver.findElement(By.id("secret")).getText().replace(" ", "")).isEqualTo(secret);
		checkPage("setup-2fa-key");
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();

		expectPath("/recovery-codes");
		assertThat(driver.findElements(By.className("recovery-code"))).hasSize(10);
		checkPage("recovery-codes");
		driver.findElement(By.id("codes-saved")).click();
		expectPath("/");
		assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Welcome");
		assertThat(driver.findElement(By.tagName("header")).getText()).contains("Signed in as " + username);
		assertThat(driver.findElement(By.tagName("main")).getText()).as("said once, in the header")
			.doesNotContain("Signed in as");
		checkPage("home");

		driver.findElement(By.cssSelector("header button[type=submit]")).click();
		expectPath("/login");
		assertThat(driver.findElement(By.cssSelector("[role=status]")).getText()).isEqualTo("You have signed out.");
		checkPage("login");

		this.clock.advance(Duration.ofSeconds(30));
		fill("username", username);
		fill("password", PASSWORD);
		submit();
		expectPath("/verify-2fa");
		checkPage("verify-2fa");
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();
		expectPath("/");
		assertThat(driver.findElement(By.tagName("header")).getText()).contains("Signed in as " + username);

		Chromium.Activity activity = Chromium.drainActivity(driver);
		assertThat(activity.requests()).isNotEmpty()
			.allSatisfy(
					(request) -> assertThat(request.getScheme() + "://" + request.getHost() + ":" + request.getPort())
						.as("every request goes to the app, and nowhere else")
						.isEqualTo("http://localhost:" + this.port));
		assertThat(activity.failures()).as("failed requests").isEmpty();
		assertThat(activity.consoleErrors()).as("console errors").isEmpty();
	}

	@Test
	void codeStepWhenWrongCodeThenHelpfulMessageAndPendingSessionHeld() throws Exception {
		String username = newUsername();
		String secret = signUpAndEnroll(username);
		signOut();
		this.clock.advance(Duration.ofSeconds(30));
		fill("username", username);
		fill("password", PASSWORD);
		submit();
		expectPath("/verify-2fa");

		String right = TestTotp.code(secret, this.clock.instant());
		fill("code", String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000));
		submit();
		assertThat(driver.findElement(By.id("code-error")).getText()).isEqualTo(WRONG_CODE_MESSAGE);
		assertThat(driver.findElement(By.id("code")).getAttribute("aria-describedby")).isEqualTo("code-error");
		checkPage("verify-2fa-wrong-code");

		open("/");
		expectPath("/verify-2fa");
		assertThat(Chromium.drainActivity(driver).consoleErrors()).isEmpty();
	}

	@Test
	void registerWhenRulesBrokenThenErrorsNextToTheFields() {
		open("/register");
		fill("username", "no spaces allowed");
		fill("password", "short");
		fill("confirmPassword", "different");
		submit();
		assertThat(driver.findElement(By.id("username-error")).getText()).contains("Use only letters");
		assertThat(driver.findElement(By.id("password-error")).getText()).isEqualTo("Use at least 12 characters.");
		assertThat(driver.findElement(By.id("username")).getAttribute("aria-invalid")).isNull();
		assertThat(driver.findElement(By.id("password")).getAttribute("value")).as("password never echoed").isEmpty();
		checkPage("register-errors");
	}

	@Test
	void setupPageWhenKeyRevealedThenCopyButtonCopiesTheKey() {
		driver.executeCdpCommand("Browser.grantPermissions",
				Map.of("origin", url(""), "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
		signUp(newUsername());
		driver.findElement(By.cssSelector("#key-details summary")).click();
		String shown = driver.findElement(By.id("secret")).getText();
		assertThat(shown).matches("([A-Z2-7]{4} ){7}[A-Z2-7]{4}");
		WebElement copy = driver.findElement(By.id("copy-secret"));
		assertThat(copy.isDisplayed()).isTrue();
		copy.click();
		within(Duration.ofSeconds(5))
			.until(ExpectedConditions.textToBe(By.id("copy-status"), "Copied to the clipboard."));
		Object clipboard = driver.executeAsyncScript("navigator.clipboard.readText().then(arguments[0]);");
		assertThat(clipboard).isEqualTo(shown.replace(" ", ""));
	}

	@Test
	void setupWhenSignedOutAndInAgainThenTheKeyIsSaidToBeNewAndACodeOfTheEarlierOneIsNamed() {
		String username = newUsername();
		signUp(username);
		String scanned = QrCodes.secretOf(driver.findElement(By.id("open-in-app")).getAttribute("href"));
		assertThat(present(By.id("new-key"))).as("nothing to say at a first setup").isEmpty();
		click(driver.findElement(By.xpath("//button[normalize-space()='Cancel and sign out']")));
		expectPath("/login");
		signInWithPassword(username);
		expectPath("/setup-2fa");
		assertThat(driver.findElement(By.id("new-key")).getText()).startsWith("This is a new key");
		fill("code", TestTotp.code(scanned, this.clock.instant()));
		submit();
		expectPath("/setup-2fa");
		assertThat(driver.findElement(By.id("code-error")).getText())
			.contains("That code is from the key shown before you signed out");
		checkPage("setup-2fa-new-key");
	}

	@Test
	void phoneWhenEveryPageOpenedAt390PixelsThenNoHorizontalScrollAndAppLinkShown() {
		Chromium.emulatePhone(driver);
		open("/login");
		checkPage("mobile-login");
		open("/register");
		checkPage("mobile-register");
		String username = newUsername();
		signUp(username);
		WebElement appLink = driver.findElement(By.id("open-in-app"));
		assertThat(appLink.isDisplayed()).isTrue();
		assertThat(appLink.getAttribute("href")).startsWith("otpauth://totp/");
		checkPage("mobile-setup-2fa");
		String secret = QrCodes.secretOf(appLink.getAttribute("href"));
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();
		checkPage("mobile-recovery-codes");
		driver.findElement(By.id("codes-saved")).click();
		checkPage("mobile-home");
		open("/account");
		checkPage("mobile-account");
		signOut();
		fill("username", username);
		fill("password", PASSWORD);
		submit();
		checkPage("mobile-verify-2fa");
		open("/verify-2fa/recovery");
		checkPage("mobile-verify-recovery");
	}

	@Test
	void keyboardWhenTabbingThroughLoginFormThenEachControlGetsVisibleFocus() {
		open("/login");
		WebElement active = driver.switchTo().activeElement();
		assertThat(active.getAttribute("id")).as("autofocus").isEqualTo("username");
		active.sendKeys("someone");
		active.sendKeys(Keys.TAB);
		active = driver.switchTo().activeElement();
		assertThat(active.getAttribute("id")).isEqualTo("password");
		assertFocusVisible(active);
		active.sendKeys(Keys.TAB);
		active = driver.switchTo().activeElement();
		assertThat(active.getAttribute("type")).isEqualTo("submit");
		assertFocusVisible(active);
		active.sendKeys(Keys.TAB);
		active = driver.switchTo().activeElement();
		assertThat(active.getAttribute("id")).isEqualTo("use-passkey");
		assertFocusVisible(active);
		active.sendKeys(Keys.TAB);
		assertThat(driver.switchTo().activeElement().getAttribute("href")).endsWith("/password/forgot");
		driver.switchTo().activeElement().sendKeys(Keys.TAB);
		assertThat(driver.switchTo().activeElement().getAttribute("href")).endsWith("/register");
	}

	@Test
	void lostPhoneWhenSigningInWithRecoveryCodeThenHomeSaysHowManyAreLeft() {
		String username = newUsername();
		signUpAndEnroll(username);
		signOut();
		fill("username", username);
		fill("password", PASSWORD);
		submit();
		driver.findElement(By.id("use-recovery-code")).click();
		expectPath("/verify-2fa/recovery");
		checkPage("verify-recovery");
		fill("recoveryCode", this.lastRecoveryCodes.get(0).toUpperCase());
		submit();
		expectPath("/");
		assertThat(driver.findElement(By.id("recovery-codes-left")).getText())
			.isEqualTo("You have 9 recovery codes left.");
		checkPage("home-after-recovery-code");
	}

	@Test
	void accountPageWhenOpenedThenEventsListedAndActionsNeedProof() {
		signUpAndEnroll(newUsername());
		driver.findElement(By.id("account-link")).click();
		expectPath("/account");
		assertThat(driver.findElement(By.id("events")).getText()).contains("Two-factor authentication turned on")
			.contains("Account created");
		checkPage("account");
		driver.findElement(By.id("so-code")).submit();
		assertThat(driver.findElement(By.id("so-code-error")).getText())
			.isEqualTo("Enter the 6-digit code from your app.");
		checkPage("account-errors");
	}

	@Test
	void newPhoneWhenStartedFromAccountPageThenSetupPageForTheNewApp() throws Exception {
		String secret = signUpAndEnroll(newUsername());
		open("/account");
		this.clock.advance(Duration.ofSeconds(30));
		fill("np-current", PASSWORD);
		fill("np-code", TestTotp.code(secret, this.clock.instant()));
		submit();
		expectPath("/account/authenticator");
		String uri = qrCodeOnScreen();
		String newSecret = QrCodes.secretOf(uri);
		assertThat(newSecret).isNotEqualTo(secret);
		checkPage("new-phone");
		this.clock.advance(Duration.ofSeconds(30));
		fill("code", TestTotp.code(newSecret, this.clock.instant()));
		submit();
		expectPath("/account");
		assertThat(driver.findElement(By.cssSelector("#new-phone .section-message")).getText())
			.contains("new phone is linked");
	}

	@Test
	void trustedBrowserWhenTickedThenTheNextSignInSkipsTheCodeUntilForgotten() {
		String username = newUsername();
		String secret = signUpAndSignInAgain(username);
		WebElement remember = driver.findElement(By.id("remember-browser"));
		assertThat(remember.isSelected()).as("off by default").isFalse();
		assertThat(driver.findElement(By.cssSelector("label[for=remember-browser]")).getText())
			.isEqualTo("Trust this browser for 30 days");
		remember.click();
		checkPage("verify-2fa-remember-browser");
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();
		expectPath("/");
		// The browser closed (its session cookie gone), not signed out: a sign-out ends
		// the trust's stand-in until the next code.
		driver.manage().deleteCookieNamed("SESSION");

		signInWithPassword(username);
		expectPath("/");
		assertThat(driver.findElement(By.tagName("header")).getText()).contains("Signed in as " + username);

		open("/account");
		assertThat(driver.findElement(By.id("trusted-list")).getText()).contains("This browser");
		assertThat(driver.findElement(By.id("session-list")).getText()).contains("This session").contains("::1");
		checkPage("account-sessions-and-trusted-browsers");
		this.clock.advance(Duration.ofSeconds(30));
		fill("cf-code", TestTotp.code(secret, this.clock.instant()));
		submit();
		expectPath("/account");
		assertThat(driver.findElement(By.id("confirmed")).getText())
			.startsWith("Confirmed \u2014 no code needed until");
		assertThat(driver.findElement(By.id("rc-code")).getAttribute("required")).isNull();
		checkPage("account-confirmed");
		click(driver.findElement(By.cssSelector("#trusted-list button")));
		expectPath("/account");
		assertThat(driver.findElement(By.id("no-trusted-browsers")).getText())
			.contains("every sign-in asks for a code");
		signOut();

		signInWithPassword(username);
		expectPath("/verify-2fa");
	}

	@Test
	void idleWhenThirtyMinutesPassWithoutARequestThenTheSignInPageSaysWhyAndTheTrustedBrowserSkipsOnlyTheCode()
			throws IOException {
		Files.createDirectories(Screenshots.DIRECTORY.resolve("issue30"));
		String username = newUsername();
		String secret = signUpAndSignInAgain(username);
		click(driver.findElement(By.id("remember-browser")));
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();
		expectPath("/");
		assertThat(this.jdbc.queryForList("select max_inactive_interval from spring_session", Integer.class))
			.as("the store keeps a signed-in session until its absolute limit (12 h), not 30 minutes")
			.anySatisfy((seconds) -> assertThat(seconds).isBetween(12 * 3600, 12 * 3600 + 60));

		this.clock.advance(Duration.ofMinutes(30).plusSeconds(1));
		open("/account");
		expectPath("/login");
		assertThat(driver.findElement(By.cssSelector("main .alert-danger")).getText())
			.isEqualTo("You were signed out after 30 minutes without activity. Please sign in again.");
		checkPage("issue30/login-idle-timeout");

		signInWithPassword(username);
		expectPath("/");
		signInElsewhere(username, secret, false);
		open("/account");
		String sessions = driver.findElement(By.id("session-list")).getText();
		assertThat(sessions).contains("Signed in with password on a trusted browser · AAL1")
			.contains("Signed in with password and authenticator code · AAL2");
		checkPage("issue30/account-sessions-with-levels");
	}

	@Test
	void codeStepWhenThePhonesClockIsOffThenTheMessageSaysByHowMuch() {
		String username = newUsername();
		String secret = signUpAndSignInAgain(username);
		assertThat(driver.findElement(By.id("server-time")).getText()).startsWith("Time on our server: ")
			.endsWith("UTC. Your phone's clock should match it to within half a minute.");
		fill("code", TestTotp.code(secret, this.clock.instant().plus(Duration.ofMinutes(3))));
		submit();
		expectPath("/verify-2fa");
		assertThat(driver.findElement(By.id("code-error")).getText()).startsWith(
				"That code would have been right about 3 minutes from now: your phone's clock looks 3 minutes off.");
		checkPage("verify-2fa-clock-drift");
	}

	@Test
	void germanWhenTheBrowserPrefersGermanThenThePagesAreInGermanAndTheFooterSwitchesBack() {
		Chromium.acceptLanguage(driver, "de-DE,de;q=0.9,en;q=0.5");
		open("/login");
		assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("de");
		assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Anmelden");
		checkPage("de-login");
		open("/register");
		checkPage("de-register");
		String username = newUsername();
		fill("username", username);
		fill("password", PASSWORD);
		fill("confirmPassword", PASSWORD);
		submit();
		expectPath("/setup-2fa");
		checkPage("de-setup-2fa");
		String secret = QrCodes.secretOf(driver.findElement(By.id("open-in-app")).getAttribute("href"));
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();
		expectPath("/recovery-codes");
		checkPage("de-recovery-codes");
		driver.findElement(By.id("codes-saved")).click();
		expectPath("/");
		open("/account");
		assertThat(driver.findElement(By.id("session-list")).getText()).contains("Headless Chrome unter Linux")
			.doesNotContain(" on ");
		checkPage("de-account");

		click(driver.findElement(By.cssSelector("#language-switch button[value=en]")));
		expectPath("/account");
		assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
		assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Account security");
	}

	@Test
	void accountPageWhenAnActionFailsThenItsMessageIsInViewFocusedAndAReloadIsHarmless() {
		String secret = signUpAndEnroll(newUsername());
		for (boolean phone : new boolean[] { false, true }) {
			if (phone) {
				Chromium.emulatePhone(driver);
			}
			open("/account");
			fill("cp-current", "not my password");
			fill("cp-new", "an entirely new passphrase");
			fill("cp-confirm", "an entirely new passphrase");
			this.clock.advance(Duration.ofSeconds(30));
			fill("cp-code", TestTotp.code(secret, this.clock.instant()));
			click(driver.findElement(By.id("cp-end-others")));
			submit();
			expectPath("/account");
			WebElement error = driver.findElement(By.id("cp-current-error"));
			assertThat(error.getText()).isEqualTo("That isn't your current password.");
			awaitInView(error);
			assertThat(driver.executeScript("return document.activeElement.id;"))
				.as(() -> "focus; console: " + Chromium.drainActivity(driver).consoleErrors())
				.isEqualTo("cp-current");
			assertThat(driver.findElement(By.id("cp-end-others")).isSelected()).as("the choice is kept").isFalse();
			assertThat(driver.findElement(By.id("cp-new")).getAttribute("value")).as("never a password").isEmpty();
			checkPage(phone ? "mobile-account-error" : "account-error");
			driver.navigate().refresh();
			expectPath("/account");
			assertThat(driver.findElement(By.tagName("h1")).getText()).as("a reload is a GET")
				.isEqualTo("Account security");
		}
	}

	@Test
	void accountPageWhenEachActionSucceedsThenItsMessageIsInItsSectionAndInView() throws Exception {
		VirtualAuthenticator key = driver.addVirtualAuthenticator(
				new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
					.setTransport(VirtualAuthenticatorOptions.Transport.USB)
					.setHasResidentKey(true)
					.setHasUserVerification(true)
					.setIsUserVerified(true));
		try {
			for (boolean phone : new boolean[] { false, true }) {
				String size = phone ? "mobile-" : "";
				Chromium.emulateDesktop(driver);
				String username = newUsername();
				String secret = signUpAndEnroll(username);
				if (phone) {
					Chromium.emulatePhone(driver);
				}
				else {
					Chromium.emulateWindow(driver, 1280, 800);
				}
				signInElsewhere(username, secret, true);
				signInElsewhere(username, secret, true);
				signInElsewhere(username, secret, false);
				open("/account");
				this.clock.advance(Duration.ofSeconds(30));
				fill("cf-code", TestTotp.code(secret, this.clock.instant()));
				submit();
				expectMessageInSection("confirm", "Confirmed: for now, this page needs no code.");
				checkPage(size + "account-message-confirm");

				fill("ce-email", username + "@example.com");
				fill("ce-current", PASSWORD);
				submit();
				expectMessageInSection("email", "We have sent a confirmation link to the new address.");
				click(driver.findElement(By.cssSelector("#email form[action$='/account/email/resend'] button")));
				expectMessageInSection("email", "We have sent a confirmation link to the new address.");

				click(driver.findElement(By.cssSelector("#trusted-list button")));
				expectMessageInSection("trusted-browsers", "That browser will ask for a code again.");
				click(driver.findElement(By.cssSelector("#trusted-browsers form[action$='/forget-all'] button")));
				expectMessageInSection("trusted-browsers", "Every browser will ask for a code again.");

				click(driver.findElement(By.cssSelector("#session-list form button")));
				expectMessageInSection("sessions", "That session is signed out.");
				checkPage(size + "account-message-session-ended");
				click(driver.findElement(By.cssSelector("#sessions form[action$='/account/sessions'] button")));
				expectMessageInSection("sessions", "Your other sessions have been signed out.");

				fill("security-key-name", "Key " + size + username);
				click(driver.findElement(By.cssSelector("#add-security-key button[type=submit]")));
				expectMessageInSection("security-keys", "The security key was added.");
				assertThat(driver.findElement(By.id("security-key-list")).getText()).contains("last used never");
				checkPage(size + "account-message-security-key-added");
				click(driver.findElement(By.cssSelector("#security-key-list button[type=submit]")));
				expectMessageInSection("security-keys", "The security key was removed");

				click(driver.findElement(By.cssSelector("#recovery-codes button[type=submit]")));
				expectPath("/recovery-codes");
				driver.findElement(By.id("codes-saved")).click();
				expectMessageInSection("recovery-codes", "Your new recovery codes are saved");

				fill("np-current", PASSWORD);
				submit();
				expectPath("/account/authenticator");
				String newSecret = QrCodes.secretOf(driver.findElement(By.id("open-in-app")).getAttribute("href"));
				this.clock.advance(Duration.ofSeconds(30));
				fill("code", TestTotp.code(newSecret, this.clock.instant()));
				submit();
				expectMessageInSection("new-phone", "new phone is linked");

				fill("cp-current", PASSWORD);
				fill("cp-new", "an entirely new passphrase");
				fill("cp-confirm", "an entirely new passphrase");
				submit();
				expectMessageInSection("password", "Your password has been changed.");
				checkPage(size + "account-message-password-changed");
				signOut();
			}
		}
		finally {
			driver.removeVirtualAuthenticator(key);
		}
	}

	@Test
	void fieldWhenItsErrorIsFixedByTypingThenNoLongerMarkedInvalid() {
		open("/register");
		fill("username", "no spaces allowed");
		fill("password", "short");
		fill("confirmPassword", "short");
		submit();
		expectPath("/register");
		WebElement username = driver.findElement(By.id("username"));
		assertThat(username.getAttribute("class")).contains("is-invalid");
		assertThat(driver.findElement(By.id("username-error")).isDisplayed()).isTrue();
		username.sendKeys("x");
		assertThat(username.getAttribute("class")).doesNotContain("is-invalid");
		assertThat(driver.findElement(By.id("username-error")).isDisplayed()).isFalse();
		assertThat(username.getAttribute("aria-describedby")).as("the old error no longer announced")
			.doesNotContain("username-error");
		assertThat(driver.findElement(By.id("password")).getAttribute("class")).as("the other field keeps its error")
			.contains("is-invalid");
	}

	@Test
	void loginWhenSubmittedEmptyThenAskedForBothOnDesktopAndPhone() {
		for (boolean phone : new boolean[] { false, true }) {
			if (phone) {
				Chromium.emulatePhone(driver);
			}
			open("/login");
			submit();
			expectPath("/login");
			assertThat(driver.findElement(By.cssSelector("[role=alert]")).getText())
				.isEqualTo("Enter your username and password.");
			checkPage(phone ? "mobile-login-empty" : "login-empty");
		}
	}

	@Test
	void accountPageWhenOpenedThenDatesInOneFormatAndOnAPhoneTheEventsAreAListWithoutSidewaysScroll() {
		signUpAndEnroll(newUsername());
		open("/account");
		List<String> dates = driver.findElements(By.cssSelector("#status time"))
			.stream()
			.map(WebElement::getText)
			.toList();
		assertThat(dates).hasSizeGreaterThanOrEqualTo(2)
			.allSatisfy((date) -> assertThat(date).matches("\\d{1,2} [A-Z][a-z]+ \\d{4}, \\d\\d:\\d\\d UTC"));
		Chromium.emulatePhone(driver);
		open("/account");
		WebElement events = driver.findElement(By.cssSelector("#recent-events .table-responsive"));
		Object sideways = driver.executeScript("return arguments[0].scrollWidth - arguments[0].clientWidth;", events);
		assertThat(((Number) sideways).intValue()).as("the events scroll sideways").isLessThanOrEqualTo(0);
		assertThat(driver.findElement(By.cssSelector("#events thead")).getRect().getHeight()).isLessThanOrEqualTo(1);
		WebElement ip = driver.findElement(By.cssSelector("#events td.event-ip"));
		assertThat(driver.executeScript("return getComputedStyle(arguments[0], '::before').content;", ip))
			.as("each line named")
			.isEqualTo("\"IP address: \"");
		Object inside = driver.executeScript("const r = arguments[0].getBoundingClientRect(),"
				+ " box = arguments[1].getBoundingClientRect(); return r.left >= box.left && r.right <= box.right;", ip,
				events);
		assertThat(inside).as("the IP address cell within its box").isEqualTo(Boolean.TRUE);
		driver.executeScript("document.getElementById('recent-events').scrollIntoView({block: 'start'});");
		checkPage("mobile-account-events");
	}

	@Test
	void homeWhenTheAddressWaitsForConfirmationThenRemindedWithALinkToTheEmailSection() {
		String username = newUsername();
		signUpAndEnroll(username, username + "@example.com");
		assertThat(driver.findElement(By.id("email-waiting")).getText())
			.startsWith(username + "@example.com is waiting for confirmation");
		checkPage("home-email-waiting");
		Chromium.emulatePhone(driver);
		open("/");
		checkPage("mobile-home-email-waiting");
		click(driver.findElement(By.cssSelector("#email-waiting a")));
		expectPath("/account");
		awaitInView(driver.findElement(By.id("email-pending")));
	}

	@Test
	void codeStepWhenCodesAreWrongThenWarnedTwoTriesAheadAndTheLockNamesATime() {
		String username = newUsername();
		String secret = signUpAndSignInAgain(username);
		String wrong = wrongCode(secret);
		for (int i = 1; i <= 3; i++) {
			fill("code", wrong);
			submit();
			expectPath("/verify-2fa");
		}
		assertThat(driver.findElement(By.id("code-error")).getText())
			.contains("2 more wrong codes and codes are refused");
		checkPage("verify-2fa-two-tries-left");
		fill("code", wrong);
		submit();
		fill("code", wrong);
		submit();
		expectPath("/verify-2fa");
		assertThat(driver.findElement(By.id("code-error")).getText()).matches(
				"Too many wrong codes: codes for this account are refused until \\d\\d:\\d\\d:\\d\\d UTC, in 60 seconds\\..*");
		checkPage("verify-2fa-locked");
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();
		expectPath("/verify-2fa");
		assertThat(TestAccounts.eventsOf(this.jdbc, username)).endsWith("LOCKED", "REFUSED_WHILE_LOCKED");
		open("/verify-2fa");
		assertThat(driver.findElement(By.id("code-error")).getText()).as("shown before anything is typed")
			.startsWith("Too many wrong codes");
	}

	@Test
	void setupOnAPhoneWhenOpenedThenOpenInAppAndTheKeyComeFirstAndTheQrCodeWaits() {
		Chromium.emulatePhone(driver);
		signUp(newUsername());
		WebElement openInApp = driver.findElement(By.id("open-in-app"));
		String wrong = wrongCode(QrCodes.secretOf(openInApp.getAttribute("href")));
		WebElement qr = driver.findElement(By.id("qr-details"));
		assertThat(openInApp.getLocation().getY()).isLessThan(qr.getLocation().getY());
		assertThat(driver.findElement(By.id("secret")).isDisplayed()).as("the key is shown").isTrue();
		assertThat(driver.findElement(By.id("copy-secret")).isDisplayed()).isTrue();
		assertThat(qr.getAttribute("open")).as("the QR code behind its disclosure").isNull();
		awaitInView(openInApp);
		checkPage("mobile-setup-2fa-phone-first");
		fill("code", wrong);
		submit();
		expectPath("/setup-2fa");
		awaitInView(driver.findElement(By.id("code-error")));
		checkPage("mobile-setup-2fa-wrong-code");

		Chromium.emulateDesktop(driver);
		open("/setup-2fa");
		driver.findElement(By.cssSelector("#key-details summary")).click();
		fill("code", wrong);
		submit();
		expectPath("/setup-2fa");
		assertThat(driver.findElement(By.id("key-details")).getAttribute("open")).as("still open after a wrong code")
			.isNotNull();
		assertThat(driver.findElements(By.className("secret-pair"))).as("pairs of groups").hasSize(4);
	}

	@Test
	void recoveryCodesWhenShownThenCopyPrintANamedDownloadAndARemindUntilSaved() {
		String username = newUsername();
		signUp(username);
		String secret = QrCodes.secretOf(driver.findElement(By.id("open-in-app")).getAttribute("href"));
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();
		expectPath("/recovery-codes");
		assertThat(driver.findElement(By.id("copy-codes")).isDisplayed()).isTrue();
		assertThat(driver.findElement(By.id("print-codes")).isDisplayed()).isTrue();
		assertThat(driver.findElement(By.id("download-codes")).getAttribute("download"))
			.isEqualTo("totp-login-recovery-codes-" + username + ".txt");
		checkPage("recovery-codes");
		open("/");
		assertThat(driver.findElement(By.id("codes-not-saved")).getText()).contains("confirmed that you saved");
		checkPage("home-codes-not-saved");
		driver.findElement(By.id("codes-show-again")).click();
		expectPath("/recovery-codes");
		driver.findElement(By.id("codes-saved")).click();
		expectPath("/");
		assertThat(present(By.id("codes-not-saved"))).isEmpty();

		open("/account");
		this.clock.advance(Duration.ofSeconds(30));
		fill("rc-code", TestTotp.code(secret, this.clock.instant()));
		submit();
		expectPath("/recovery-codes");
		driver.findElement(By.id("codes-saved")).click();
		expectPath("/account");
		assertThat(driver.findElement(By.cssSelector("#recovery-codes .section-message")).getText())
			.contains("new recovery codes are saved");
	}

	@Test
	void registerWhenTypingThenShowPasswordAndAStrengthHintAndTheNameIsKeptAfterAnError() {
		open("/register");
		String username = newUsername();
		fill("username", username);
		fill("password", "passwordpassword");
		WebElement toggle = driver.findElement(By.id("password-toggle"));
		assertThat(toggle.isDisplayed()).isTrue();
		toggle.click();
		assertThat(driver.findElement(By.id("password")).getAttribute("type")).isEqualTo("text");
		within(Duration.ofSeconds(5))
			.until((d) -> driver.findElement(By.id("password-strength")).getText().contains("too easy to guess"));
		checkPage("register-strength-hint");
		toggle.click();
		assertThat(driver.findElement(By.id("password")).getAttribute("type")).isEqualTo("password");
		fill("password", PASSWORD);
		within(Duration.ofSeconds(5))
			.until((d) -> driver.findElement(By.id("password-strength")).getText().equals("Hard to guess: good."));
		fill("confirmPassword", PASSWORD + "x");
		submit();
		expectPath("/register");
		assertThat(driver.findElement(By.id("username")).getAttribute("value")).isEqualTo(username);
		assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("confirmPassword");
	}

	@Test
	void errorPageWhenPageMissingThenFriendlyAndAccessible() {
		signUpAndEnroll(newUsername());
		open("/no-such-page");
		assertThat(driver.findElement(By.tagName("main")).getText()).contains("We couldn't find that page.");
		assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Page not found");
		checkPage("error-404");
	}

	@Test
	void securityKeyWhenAddedOnTheAccountPageThenItSignsInInsteadOfTheCodeUntilRemoved() {
		VirtualAuthenticator key = driver.addVirtualAuthenticator(
				new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
					.setTransport(VirtualAuthenticatorOptions.Transport.USB)
					.setHasResidentKey(true)
					.setHasUserVerification(true)
					.setIsUserVerified(true));
		try {
			String username = newUsername();
			String secret = signUpAndEnroll(username);
			open("/account");
			assertThat(driver.findElement(By.id("security-key-confirm-first")).getText())
				.startsWith("To add a key, first confirm it's you with a code.");
			this.clock.advance(Duration.ofSeconds(30));
			fill("cf-code", TestTotp.code(secret, this.clock.instant()));
			submit();
			expectPath("/account");
			fill("security-key-name", "Test key on my keyring");
			click(driver.findElement(By.cssSelector("#add-security-key button[type=submit]")));
			waitForText(By.cssSelector(".alert-success"), "The security key was added.");
			waitForText(By.id("security-key-list"), "Test key on my keyring");
			checkPage("account-security-keys");
			signOut();

			this.clock.advance(Duration.ofSeconds(30));
			signInWithPassword(username);
			expectPath("/verify-2fa");
			assertThat(driver.findElement(By.id("use-security-key")).isDisplayed()).isTrue();
			checkPage("verify-2fa-security-key");
			click(driver.findElement(By.id("use-security-key")));
			expectPath("/");
			assertThat(driver.findElement(By.tagName("header")).getText()).contains("Signed in as " + username);
			assertThat(TestAccounts.eventsOf(this.jdbc, username)).contains("SECURITY_KEY_ADDED")
				.endsWith("SECURITY_KEY_SIGN_IN");

			open("/account");
			click(driver.findElement(By.cssSelector("#confirm-with-key button")));
			within(Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("confirmed")));
			click(driver.findElement(By.cssSelector("#security-key-list button[type=submit]")));
			waitForText(By.cssSelector(".alert-success"), "The security key was removed");
			assertThat(driver.findElement(By.id("no-security-keys")).isDisplayed()).isTrue();
			signOut();

			this.clock.advance(Duration.ofSeconds(30));
			signInWithPassword(username);
			expectPath("/verify-2fa");
			assertThat(present(By.id("use-security-key"))).as("no key left to offer").isEmpty();
			fill("code", TestTotp.code(secret, this.clock.instant()));
			submit();
			expectPath("/");
		}
		finally {
			driver.removeVirtualAuthenticator(key);
		}
	}

	/**
	 * Issue 30: a passkey (resident key, user verification) added on the account page
	 * signs in on its own, with the button and with the username field's autofill, at
	 * aal2 ({@code hwk mfa} in the forward-auth answer); a key added as a security key is
	 * refused on its own with a clear message and works after the password.
	 */
	@Test
	void passkeyWhenAddedThenItSignsInAloneByButtonAndAutofillAndASecurityKeyAsksForThePassword() throws IOException {
		Path issue30 = Files.createDirectories(Screenshots.DIRECTORY.resolve("issue30"));
		VirtualAuthenticator passkey = driver.addVirtualAuthenticator(
				new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
					.setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
					.setHasResidentKey(true)
					.setHasUserVerification(true)
					.setIsUserVerified(true));
		String username = newUsername();
		String secret;
		try {
			secret = signUpAndEnroll(username);
			addKey(secret, "Laptop passkey", "add-kind-passkey");
			assertThat(driver.findElement(By.id("security-key-list")).getText()).contains("Laptop passkey")
				.contains("Signs you in on its own");
			checkPage("account-passkeys");
			Files.copy(Screenshots.DIRECTORY.resolve("account-passkeys.png"), issue30.resolve("account-key-list.png"),
					java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			// The button, on a browser without autofill for passkeys: Chromium's virtual
			// authenticator answers a conditional request by itself, at once, so the
			// login page that signing out lands on would sign in first.
			noAutofill(true);
			signOut();
			open("/login");
			assertThat(driver.findElement(By.id("username")).getAttribute("autocomplete"))
				.isEqualTo("username webauthn");
			WebElement button = driver.findElement(By.id("use-passkey"));
			within(Duration.ofSeconds(5)).until((d) -> button.isDisplayed());
			checkPage("login-passkey");
			Files.copy(Screenshots.DIRECTORY.resolve("login-passkey.png"), issue30.resolve("login-passkey-button.png"),
					java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			this.clock.advance(Duration.ofSeconds(30));
			click(button);
			expectPath("/");
			assertThat(driver.findElement(By.tagName("header")).getText()).contains("Signed in as " + username);
			assertThat(forwardAuthAnswer()).isEqualTo("hwk mfa|urn:totp-login:aal2");
			open("/account");
			expectPath("/account");
			assertThat(TestAccounts.eventsOf(this.jdbc, username)).endsWith("SECURITY_KEY_SIGN_IN");
			signOut();
			noAutofill(false);

			// Autofill: the page starts a conditional request at once. A person picks the
			// passkey from the username field's suggestions; Chromium with a virtual
			// authenticator answers the conditional request by itself, without showing
			// them, so no click is needed (nor possible: the page is gone).
			this.clock.advance(Duration.ofSeconds(30));
			open("/login");
			expectPath("/");
			assertThat(driver.findElement(By.tagName("header")).getText()).contains("Signed in as " + username);
			assertThat(forwardAuthAnswer()).isEqualTo("hwk mfa|urn:totp-login:aal2");
			noAutofill(true);
			signOut();
		}
		finally {
			driver.removeVirtualAuthenticator(passkey);
		}

		VirtualAuthenticator securityKey = driver.addVirtualAuthenticator(
				new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
					.setTransport(VirtualAuthenticatorOptions.Transport.USB)
					.setHasResidentKey(true)
					// Chromium's virtual authenticator fails a ceremony that asks for UV
					// ("preferred") when isUserVerified is false, and without UV it makes
					// no discoverable credential: so this key verifies, but is added as a
					// security key, which never signs in alone. An assertion without UV
					// is
					// PasskeyTests' (software authenticator).
					.setHasUserVerification(true)
					.setIsUserVerified(true));
		try {
			this.clock.advance(Duration.ofSeconds(30));
			signInWithPassword(username);
			expectPath("/verify-2fa");
			fill("code", TestTotp.code(secret, this.clock.instant()));
			submit();
			expectPath("/");
			addKey(secret, "Key on my keyring", "add-kind-security-key");
			assertThat(driver.findElement(By.id("security-key-list")).getText()).contains("Second step only");
			signOut();

			open("/login");
			click(driver.findElement(By.id("use-passkey")));
			waitForText(By.id("passkey-status"),
					"This key can't sign you in on its own: sign in with your password, then use the key.");
			expectPath("/login");
			this.clock.advance(Duration.ofSeconds(30));
			signInWithPassword(username);
			expectPath("/verify-2fa");
			click(driver.findElement(By.id("use-security-key")));
			expectPath("/");
			assertThat(forwardAuthAnswer()).isEqualTo("pwd hwk mfa|urn:totp-login:aal2");
		}
		finally {
			driver.removeVirtualAuthenticator(securityKey);
			noAutofill(false);
		}
	}

	private static Object noAutofillScript;

	/**
	 * Makes the pages opened from now on see a browser without passkey autofill, or not.
	 */
	private static void noAutofill(boolean on) {
		if (on && noAutofillScript == null) {
			noAutofillScript = driver
				.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
						Map.of("source", "if (window.PublicKeyCredential) {"
								+ " PublicKeyCredential.isConditionalMediationAvailable = async () => false; }"))
				.get("identifier");
		}
		else if (!on && noAutofillScript != null) {
			driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument",
					Map.of("identifier", noAutofillScript));
			noAutofillScript = null;
		}
	}

	/** Confirms with a code on the account page, then adds a key of the kind clicked. */
	private void addKey(String secret, String name, String kindButton) {
		open("/account");
		if (!present(By.id("cf-code")).isEmpty()) {
			this.clock.advance(Duration.ofSeconds(30));
			fill("cf-code", TestTotp.code(secret, this.clock.instant()));
			submit();
			expectPath("/account");
		}
		fill("security-key-name", name);
		click(driver.findElement(By.id(kindButton)));
		waitForText(By.cssSelector(".alert-success"), "The security key was added.");
		waitForText(By.id("security-key-list"), name);
	}

	/** What forward auth answers for this browser's session: "amr|acr". */
	private static String forwardAuthAnswer() {
		String answer = (String) driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
				+ "fetch('/auth/verify', {headers: {'X-Original-URL': 'https://app.example.test/'}})"
				+ ".then((r) => done(r.status + ' ' + r.headers.get('Remote-AMR') + '|' + r.headers.get('Remote-ACR')))"
				+ ".catch((e) => done(String(e)));");
		return answer.replaceFirst("^200 ", "");
	}

	@Test
	void forgottenPasswordWhenTheLinkComesByMailAndTheCodeIsGivenThenSignedInWithTheNewPassword() throws Exception {
		String username = newUsername();
		String email = username + "@example.com";
		Mailbox mailbox = new Mailbox(this.jdbc);
		String secret = signUpAndEnroll(username, email);

		open(Mailbox.pathOf(Mailbox.linkIn(mailbox.awaitMessage(email, 1))));
		checkPage("email-verify");
		driver.findElement(By.id("confirm-email")).click();
		expectPath("/account");
		assertThat(driver.findElement(By.id("email-status")).getText()).contains(email + " (confirmed)");
		checkPage("account-with-email");
		signOut();

		driver.findElement(By.id("forgot-password")).click();
		expectPath("/password/forgot");
		checkPage("password-forgot");
		driver.findElement(By.id("email")).submit();
		expectPath("/password/forgot");
		assertThat(driver.findElement(By.id("email-error")).getText()).isEqualTo("Enter an email address.");
		checkPage("password-forgot-empty");
		fill("email", email);
		submit();
		expectPath("/password/forgot");
		assertThat(driver.findElement(By.cssSelector("[role=status]")).getText()).contains("we have sent a link");
		checkPage("password-forgot-sent");

		String link = Mailbox.pathOf(Mailbox.linkIn(mailbox.awaitMessage(email, 2)));
		open(link);
		expectPath("/password/reset");
		assertThat(driver.getCurrentUrl()).doesNotContain("token");
		checkPage("password-reset");
		driver.findElement(By.id("newPassword")).submit();
		expectPath("/password/reset");
		assertThat(driver.findElement(By.id("code")).getAttribute("class")).contains("is-invalid");
		assertThat(driver.findElement(By.id("code-error")).getText())
			.isEqualTo("Enter a code from your app, or a recovery code.");
		checkPage("password-reset-errors");
		Chromium.emulatePhone(driver);
		checkPage("mobile-password-reset-errors");
		Chromium.emulateDesktop(driver);
		this.clock.advance(Duration.ofSeconds(30));
		fill("code", TestTotp.code(secret, this.clock.instant()));
		fill("newPassword", "lantern orbit cellar tulip");
		fill("confirmPassword", "lantern orbit cellar tulip");
		submit();
		expectPath("/login");
		fill("username", username);
		fill("password", "lantern orbit cellar tulip");
		submit();
		expectPath("/verify-2fa");
		this.clock.advance(Duration.ofSeconds(30));
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();
		expectPath("/");
		signOut();

		open(link);
		assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("This link doesn't work");
		checkPage("password-reset-invalid");
	}

	private String signUpAndEnroll(String username) {
		return signUpAndEnroll(username, null);
	}

	/** The same with an email address (its confirmation mail is the test's to follow). */
	private String signUpAndEnroll(String username, String email) {
		signUp(username, email);
		String secret = QrCodes.secretOf(driver.findElement(By.id("open-in-app")).getAttribute("href"));
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();
		expectPath("/recovery-codes");
		this.lastRecoveryCodes = driver.findElements(By.className("recovery-code"))
			.stream()
			.map(WebElement::getText)
			.toList();
		driver.findElement(By.id("codes-saved")).click();
		expectPath("/");
		return secret;
	}

	/**
	 * Reads the QR code the way a phone would: from the pixels the browser rendered (the
	 * element's box, cut from a capture of the page), decoded with ZXing.
	 */
	@SuppressWarnings("unchecked")
	private static String qrCodeOnScreen() throws IOException {
		WebElement qr = driver.findElement(By.id("qr-code"));
		within(Duration.ofSeconds(5)).until((d) -> Boolean.TRUE
			.equals(driver.executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0;", qr)));
		Map<String, Object> box = (Map<String, Object>) driver
			.executeScript("const r = arguments[0].getBoundingClientRect();"
					+ "return {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width,"
					+ " height: r.height, scale: 1};", qr);
		Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
				Map.of("format", "png", "captureBeyondViewport", true, "clip", box));
		byte[] png = Base64.getDecoder().decode((String) shot.get("data"));
		return QrCodes.decode(ImageIO.read(new java.io.ByteArrayInputStream(png)));
	}

	private void signUp(String username) {
		signUp(username, null);
	}

	private void signUp(String username, String email) {
		open("/register");
		fill("username", username);
		if (email != null) {
			fill("email", email);
		}
		fill("password", PASSWORD);
		fill("confirmPassword", PASSWORD);
		submit();
		expectPath("/setup-2fa");
	}

	/** Signs up, signs out, and passes the password step again: at the code page. */
	private String signUpAndSignInAgain(String username) {
		String secret = signUpAndEnroll(username);
		signOut();
		this.clock.advance(Duration.ofSeconds(30));
		signInWithPassword(username);
		expectPath("/verify-2fa");
		return secret;
	}

	private void signInWithPassword(String username) {
		open("/login");
		fill("username", username);
		fill("password", PASSWORD);
		submit();
	}

	private void signOut() {
		click(driver.findElement(By.cssSelector("header button[type=submit]")));
		expectPath("/login");
	}

	/** The checks every page gets, and its screenshot. */
	private void checkPage(String name) {
		within(Duration.ofSeconds(10)).until((d) -> pageLoaded());
		assertThat(driver.findElements(By.tagName("h1"))).as("one h1 on " + name).hasSize(1);
		assertThat(driver.getTitle()).as("the tab's title is the page's heading on " + name)
			.startsWith(driver.findElement(By.tagName("h1")).getText() + " · ");
		Object overflow = driver
			.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
		assertThat(((Number) overflow).intValue())
			.as(() -> "horizontal scroll on " + name + ", widest: " + driver.executeScript(
					"return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right"
							+ " > document.documentElement.clientWidth).slice(-3).map((e) => e.tagName + '#' + e.id + '.'"
							+ " + e.className).join(', ');"))
			.isLessThanOrEqualTo(0);
		Results results = new AxeBuilder().analyze(driver);
		List<String> serious = results.getViolations()
			.stream()
			.filter((rule) -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
			.map((rule) -> rule.getImpact() + ": " + rule.getId() + " " + rule.getNodes().size() + " node(s)")
			.toList();
		List<String> minor = results.getViolations().stream().map(Rule::getId).toList();
		axeOutcomes.put(name, results.getPasses().size() + " rules passed; serious/critical violations: "
				+ serious.size() + "; all violations: " + (minor.isEmpty() ? "none" : String.join(", ", minor)));
		assertThat(serious).as("axe-core serious or critical violations on " + name).isEmpty();
		Screenshots.page(driver, name);
	}

	private static void assertFocusVisible(WebElement element) {
		String outline = element.getCssValue("outline-style");
		String shadow = element.getCssValue("box-shadow");
		assertThat(!"none".equals(outline) || !"none".equals(shadow))
			.as("a visible focus indicator on " + element.getTagName())
			.isTrue();
	}

	/** A code of none of the steps around now. */
	private String wrongCode(String secret) {
		int code = Integer.parseInt(TestTotp.code(secret, this.clock.instant()));
		for (int candidate = code + 1;; candidate++) {
			String typed = String.format("%06d", candidate % 1_000_000);
			boolean nearby = false;
			for (int step = -1; step <= 1; step++) {
				nearby |= typed
					.equals(TestTotp.code(secret, this.clock.instant().plus(Duration.ofSeconds(30L * step))));
			}
			if (!nearby) {
				return typed;
			}
		}
	}

	/**
	 * The page after an account action: its message inside the section acted in, within
	 * the viewport, and none at the top of the page.
	 */
	private static void expectMessageInSection(String section, String text) {
		expectPath("/account");
		By message = By.cssSelector("#" + section + " .section-message");
		// The browser may still show the page before the answer (the same path): its
		// elements go stale, so the message is looked up again until it is the answer's.
		waitForText(message, text);
		within(Duration.ofSeconds(5)).ignoring(StaleElementReferenceException.class)
			.withMessage("in view")
			.until((d) -> Boolean.TRUE.equals(driver.executeScript("const r = arguments[0].getBoundingClientRect();"
					+ "return r.top >= 0 && r.bottom <= window.innerHeight;", driver.findElement(message))));
		assertThat(present(By.cssSelector(".page-column > .alert"))).as("a message at the top").isEmpty();
	}

	/** Another device of the same person signs in over plain HTTP, trusted if asked. */
	private void signInElsewhere(String username, String secret, boolean trusted) {
		HttpBrowser other = new HttpBrowser(this.port);
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(other.submit("/login", "/login", Map.of("username", username, "password", PASSWORD)).redirectPath())
			.isEqualTo("/verify-2fa");
		Map<String, String> form = new java.util.LinkedHashMap<>(
				Map.of("code", TestTotp.code(secret, this.clock.instant())));
		if (trusted) {
			form.put("rememberBrowser", "true");
		}
		assertThat(other.submit("/verify-2fa", "/verify-2fa", form).redirectPath()).isEqualTo("/");
	}

	/**
	 * Waits until the element is within the viewport (a page may still be scrolling to
	 * it).
	 */
	private static void awaitInView(WebElement element) {
		within(Duration.ofSeconds(5)).withMessage("in view")
			.until((d) -> Boolean.TRUE.equals(driver.executeScript("const r = arguments[0].getBoundingClientRect();"
					+ "return r.top >= 0 && r.bottom <= window.innerHeight;", element)));
	}

	/**
	 * A real click, after scrolling the element into view at once (Bootstrap's smooth
	 * scrolling would otherwise still be moving the page).
	 */
	private static void click(WebElement element) {
		// A page opened at an anchor (/account#sessions) may still be scrolling there.
		Object[] last = { null };
		within(Duration.ofSeconds(5)).pollingEvery(SCROLL_SAMPLE).until((d) -> {
			Object y = driver.executeScript("return window.scrollY;");
			boolean settled = y.equals(last[0]);
			last[0] = y;
			return settled;
		});
		driver.executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element);
		element.click();
	}

	/**
	 * Waits for an element of the page a form post lands on. While Chromium swaps the
	 * document, a read can fail with "Node with given id does not belong to the document"
	 * (an unknown error, not a stale element), so that is retried too; a text that never
	 * comes still fails after ten seconds.
	 */
	private static void waitForText(By locator, String text) {
		within(Duration.ofSeconds(10)).ignoring(WebDriverException.class)
			.withMessage(() -> "expected " + locator + " to contain " + text)
			.until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
	}

	private void open(String path) {
		driver.get(url(path));
	}

	private static void fill(String id, String text) {
		WebElement field = driver.findElement(By.id(id));
		field.clear();
		field.sendKeys(text);
	}

	private static void submit() {
		driver.switchTo().activeElement().submit();
	}

	private static String path() {
		return URI.create(driver.getCurrentUrl()).getPath();
	}

	/**
	 * Clicks and submits navigate asynchronously: wait for the page to arrive, then check
	 * where it is.
	 */
	private static void expectPath(String expected) {
		within(Duration.ofSeconds(10))
			.withMessage(() -> "expected the browser at " + expected + ", it is at " + path() + " "
					+ driver.findElements(By.className("invalid-feedback")).stream().map(WebElement::getText).toList()
					+ driver.findElements(By.className("alert")).stream().map(WebElement::getText).toList())
			.until((d) -> expected.equals(path()) && pageLoaded());
	}

	private static boolean pageLoaded() {
		return "complete".equals(driver.executeScript("return document.readyState;"));
	}

	private static WebDriverWait within(Duration timeout) {
		WebDriverWait wait = new WebDriverWait(driver, timeout);
		wait.pollingEvery(POLL);
		return wait;
	}

	/**
	 * The elements the loaded page has, looked up at once: with the implicit wait, every
	 * check that something is absent took the whole three seconds.
	 */
	private static List<WebElement> present(By locator) {
		within(Duration.ofSeconds(10)).until((d) -> pageLoaded());
		driver.manage().timeouts().implicitlyWait(Duration.ZERO);
		try {
			return driver.findElements(locator);
		}
		finally {
			driver.manage().timeouts().implicitlyWait(IMPLICIT_WAIT);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private String newUsername() {
		return "person" + (++this.users) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
	}

}
