package dev.totplogin.forwardauth;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import dev.totplogin.support.Chromium;
import dev.totplogin.support.DebianBinary;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.QrCodes;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestClockConfiguration;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.HtmlUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nginx ({@code auth_request}) and Caddy ({@code forward_auth}) from Debian's packages,
 * each run with its recipe from {@code docs/integration/}, in front of a static
 * application that shows the headers it received; a real Chromium signs in through them.
 * The sign-in is on {@code login.example.test}, the application on
 * {@code app.example.test}: one session cookie for {@code example.test}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
@Import(TestClockConfiguration.class)
class ForwardAuthProxiesIT {

	private static final int PORT = freePort();

	private static final int NGINX = freePort();

	private static final int CADDY = freePort();

	private static final String SIGN_IN = "http://login.example.test:" + PORT;

	private static final Path SCREENSHOTS = Path.of("target", "screenshots", "issue29");

	private static ChromeDriver driver;

	private static HttpServer app;

	@TempDir
	Path dir;

	@Autowired
	private MutableClock clock;

	private Process proxy;

	@DynamicPropertySource
	static void sites(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
		registry.add("app.base-url", () -> SIGN_IN);
		registry.add("server.servlet.session.cookie.domain", () -> "example.test");
		registry.add("app.forward-auth.domains",
				() -> "http://app.example.test:" + NGINX + ",http://app.example.test:" + CADDY);
	}

	@BeforeAll
	static void startBrowserAndApp() throws IOException {
		app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		app.createContext("/", (exchange) -> {
			Map<String, String> received = new TreeMap<>();
			exchange.getRequestHeaders()
				.forEach((name, values) -> received.put(name.toLowerCase(), String.join(", ", values)));
			StringBuilder page = new StringBuilder("<!doctype html><title>Protected app</title>"
					+ "<h1>The protected application</h1><p>It received these headers:</p><pre id=\"headers\">");
			received.forEach((name, value) -> page.append(HtmlUtils.htmlEscape(name + ": " + value)).append('\n'));
			byte[] body = page.append("</pre>").toString().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		app.start();
		driver = Chromium.start("--host-resolver-rules=MAP *.example.test 127.0.0.1");
		driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(3));
	}

	@AfterAll
	static void stopBrowserAndApp() {
		if (driver != null) {
			driver.quit();
		}
		if (app != null) {
			app.stop(0);
		}
	}

	@BeforeEach
	void freshBrowser() {
		driver.get(SIGN_IN + "/login");
		driver.manage().deleteAllCookies();
		Chromium.drainActivity(driver);
	}

	@AfterEach
	void stopProxy() throws InterruptedException {
		if (this.proxy != null) {
			this.proxy.destroy();
			assertThat(this.proxy.waitFor(10, TimeUnit.SECONDS)).as("proxy stopped").isTrue();
		}
	}

	@Test
	void nginxWhenBrowsingTheAppThenSignInAndBackWithTheHeadersAndNeverAForgedOneOrAForeignReturn() throws Exception {
		Path nginx = DebianBinary.require("nginx", Path.of("/usr/sbin/nginx"));
		Files.createDirectories(this.dir.resolve("tmp"));
		String config = Files.readString(Path.of("docs", "integration", "nginx.conf"))
			.replace("{{LISTEN}}", "127.0.0.1:" + NGINX)
			.replace("{{SIGN_IN}}", "127.0.0.1:" + PORT)
			.replace("{{APP}}", "127.0.0.1:" + app.getAddress().getPort());
		Files.writeString(this.dir.resolve("nginx.conf"), config);
		this.proxy = start(List.of(nginx.toString(), "-p", this.dir.toString(), "-c", "nginx.conf", "-e", "stderr"),
				Map.of(), NGINX);
		journeyThrough(NGINX, "nginx");
	}

	@Test
	void caddyWhenBrowsingTheAppThenSignInAndBackWithTheHeadersAndNeverAForgedOneOrAForeignReturn() throws Exception {
		Path caddy = DebianBinary.require("caddy", Path.of("/usr/bin/caddy"));
		this.proxy = start(List.of(caddy.toString(), "run", "--config",
				Path.of("docs", "integration", "Caddyfile").toAbsolutePath().toString(), "--adapter", "caddyfile"),
				Map.of("APP_HOST", "app.example.test:" + CADDY, "SIGN_IN", "127.0.0.1:" + PORT, "APP",
						"127.0.0.1:" + app.getAddress().getPort(), "HOME", this.dir.toString(), "XDG_DATA_HOME",
						this.dir.resolve("data").toString(), "XDG_CONFIG_HOME", this.dir.resolve("config").toString()),
				CADDY);
		journeyThrough(CADDY, "caddy");
	}

	private void journeyThrough(int proxyPort, String name) throws Exception {
		String username = name + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
		String secret = signUp(username);
		driver.manage().deleteAllCookies();
		String page = "http://app.example.test:" + proxyPort + "/reports/q3?year=2026&view=full";

		// Anonymous, with a forged identity: sent to sign in, on the configured site.
		forge(Map.of("Remote-User", "admin", "Remote-ACR", "urn:totp-login:aal2"));
		driver.get(page);
		waitFor(() -> URI.create(driver.getCurrentUrl()).getPath().equals("/login"));
		URI login = URI.create(driver.getCurrentUrl());
		assertThat(login.getScheme() + "://" + login.getAuthority()).isEqualTo(SIGN_IN);
		assertThat(login.getQuery()).isEqualTo("rd=" + page);

		// Password and code: back on the page first asked for, with the identity.
		this.clock.advance(Duration.ofSeconds(30));
		fill("username", username);
		fill("password", TestAccounts.PASSWORD);
		submit();
		waitFor(() -> URI.create(driver.getCurrentUrl()).getPath().equals("/verify-2fa"));
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();
		waitFor(() -> driver.getCurrentUrl().equals(page));
		Map<String, String> headers = receivedHeaders();
		assertThat(headers).containsEntry("remote-user", username)
			.containsEntry("remote-name", username)
			.containsEntry("remote-amr", "pwd otp mfa")
			.containsEntry("remote-acr", "urn:totp-login:aal2");
		assertThat(headers.getOrDefault("remote-email", "")).as("no verified address: empty or absent").isEmpty();
		assertThat(driver.manage().getCookieNamed("SESSION").getDomain()).as("one cookie for both sites")
			.isEqualTo(".example.test");
		Files.createDirectories(SCREENSHOTS);
		Files.write(SCREENSHOTS.resolve(name + "-signed-in-app.png"), driver.getScreenshotAs(OutputType.BYTES));

		// A return URL of another site: never followed, neither by the proxy nor after a
		// sign-in.
		String foreign = "http://evil.example.test:" + proxyPort + "/";
		driver.get(foreign);
		assertThat(driver.findElements(By.id("headers"))).as("no page of another site").isEmpty();
		assertThat(driver.getCurrentUrl()).isEqualTo(foreign);
		driver.get(SIGN_IN + "/login?rd=" + foreign);
		waitFor(() -> URI.create(driver.getCurrentUrl()).getPath().equals("/"));
		assertThat(URI.create(driver.getCurrentUrl()).getAuthority()).isEqualTo("login.example.test:" + PORT);
		forge(Map.of());
	}

	private String signUp(String username) {
		forge(Map.of());
		driver.get(SIGN_IN + "/register");
		fill("username", username);
		fill("password", TestAccounts.PASSWORD);
		fill("confirmPassword", TestAccounts.PASSWORD);
		submit();
		waitFor(() -> URI.create(driver.getCurrentUrl()).getPath().equals("/setup-2fa"));
		String secret = QrCodes.secretOf(driver.findElement(By.id("open-in-app")).getAttribute("href"));
		fill("code", TestTotp.code(secret, this.clock.instant()));
		submit();
		waitFor(() -> URI.create(driver.getCurrentUrl()).getPath().equals("/recovery-codes"));
		return secret;
	}

	/** Every request of the browser from now on carries these headers. */
	private static void forge(Map<String, String> headers) {
		driver.executeCdpCommand("Network.enable", Map.of());
		driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", headers));
	}

	private static Map<String, String> receivedHeaders() {
		Map<String, String> headers = new TreeMap<>();
		for (String line : driver.findElement(By.id("headers")).getText().split("\n")) {
			int colon = line.indexOf(": ");
			if (colon > 0) {
				headers.put(line.substring(0, colon), line.substring(colon + 2));
			}
		}
		return headers;
	}

	private static void fill(String id, String text) {
		WebElement field = driver.findElement(By.id(id));
		field.clear();
		field.sendKeys(text);
	}

	private static void submit() {
		driver.switchTo().activeElement().submit();
	}

	private static void waitFor(java.util.function.BooleanSupplier condition) {
		new WebDriverWait(driver, Duration.ofSeconds(10))
			.withMessage(
					() -> "browser at " + driver.getCurrentUrl() + ": " + Chromium.drainActivity(driver).requests())
			.until((d) -> condition.getAsBoolean()
					&& "complete".equals(driver.executeScript("return document.readyState;")));
	}

	private Process start(List<String> command, Map<String, String> environment, int port) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("proxy.log").toFile());
		builder.environment().putAll(environment);
		Process process = builder.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (System.nanoTime() < deadline) {
			assertThat(process.isAlive()).as(() -> "proxy running: " + log()).isTrue();
			try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
				return process;
			}
			catch (IOException notYet) {
				Thread.sleep(100);
			}
		}
		throw new AssertionError("proxy not listening on " + port + ": " + log());
	}

	private String log() {
		try {
			return Files.readString(this.dir.resolve("proxy.log"));
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
