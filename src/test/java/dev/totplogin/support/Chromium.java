package dev.totplogin.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.json.Json;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The system's headless Chromium, driven through the system chromedriver: nothing is
 * downloaded (Selenium Manager is never asked), and Chromium is kept off the network but
 * for the page under test. Without Chromium the browser tests are skipped locally, and
 * fail under CI.
 */
public final class Chromium {

	private static final Path BROWSER = Path.of("/usr/bin/chromium");

	private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	private static final String INSTALL_HINT = "install them with: sudo apt-get install chromium chromium-driver";

	private Chromium() {
	}

	public static ChromeDriver start() {
		return start(new String[0]);
	}

	/**
	 * Chromium with extra command-line switches, e.g.
	 * {@code --host-resolver-rules=MAP *.example.test 127.0.0.1} for tests whose sites
	 * share a cookie domain.
	 */
	public static ChromeDriver start(String... switches) {
		boolean present = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
		if (!present) {
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				Assertions.fail("Browser tests need " + BROWSER + " and " + DRIVER + " under CI; " + INSTALL_HINT);
			}
			Assumptions.abort("Browser tests skipped: " + BROWSER + " or " + DRIVER + " not found; " + INSTALL_HINT);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BROWSER.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
				"--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + newProfileDirectory());
		options.addArguments(switches);
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		logs.enable(LogType.PERFORMANCE, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}

	/**
	 * Makes the page render as on a 390 × 844 phone (CSS pixels), touch and mobile layout
	 * included.
	 */
	public static void emulatePhone(ChromeDriver driver) {
		driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
				Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
	}

	/** Makes the page render as in a desktop window of this size (CSS pixels). */
	public static void emulateWindow(ChromeDriver driver, int width, int height) {
		driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
				Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
	}

	public static void emulateDesktop(ChromeDriver driver) {
		driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
	}

	/**
	 * Sends this {@code Accept-Language} with every request from now on (null: the
	 * browser's own).
	 */
	public static void acceptLanguage(ChromeDriver driver, String languages) {
		driver.executeCdpCommand("Network.enable", Map.of());
		driver.executeCdpCommand("Network.setExtraHTTPHeaders",
				Map.of("headers", (languages != null) ? Map.of("Accept-Language", languages) : Map.of()));
	}

	/**
	 * What the browser did since the last call: the URL of every network request
	 * ({@code data:} URLs are not requests), failed loads and console errors.
	 */
	public record Activity(List<URI> requests, List<String> failures, List<String> consoleErrors) {
	}

	@SuppressWarnings("unchecked")
	public static Activity drainActivity(ChromeDriver driver) {
		List<URI> requests = new ArrayList<>();
		List<String> failures = new ArrayList<>();
		Json json = new Json();
		for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
			Map<String, Object> envelope = json.toType(entry.getMessage(), Map.class);
			Map<String, Object> message = (Map<String, Object>) envelope.get("message");
			String method = (String) message.get("method");
			Map<String, Object> params = (Map<String, Object>) message.get("params");
			if ("Network.requestWillBeSent".equals(method)) {
				String url = (String) ((Map<String, Object>) params.get("request")).get("url");
				if (!url.startsWith("data:")) {
					requests.add(URI.create(url));
				}
			}
			else if ("Network.loadingFailed".equals(method) && !Boolean.TRUE.equals(params.get("canceled"))) {
				failures.add(String.valueOf(params.get("errorText")) + " " + params.get("requestId"));
			}
			else if ("Network.responseReceived".equals(method)) {
				Map<String, Object> response = (Map<String, Object>) params.get("response");
				Number status = (Number) response.get("status");
				if (status != null && status.intValue() >= 400) {
					failures.add(status + " " + response.get("url"));
				}
			}
		}
		List<String> consoleErrors = driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.toList();
		return new Activity(requests, failures, consoleErrors);
	}

	private static String newProfileDirectory() {
		try {
			Path directory = Files.createTempDirectory("chromium-profile");
			directory.toFile().deleteOnExit();
			return directory.toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
