package dev.totplogin;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestClockConfiguration;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/** Against a real server on a random port, with real threads and real cookies. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(TestClockConfiguration.class)
class HttpServerIT {

	@LocalServerPort
	private int port;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void codeStepWhenTwentySessionsSubmitOneCodeAtOnceThenExactlyOneGetsIn() throws Exception {
		String secret = new HttpBrowser(this.port).registerAndEnroll("racer", this.clock);
		this.clock.advance(Duration.ofSeconds(30));
		String code = TestTotp.code(secret, this.clock.instant());

		List<HttpBrowser> browsers = new ArrayList<>();
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			HttpBrowser browser = new HttpBrowser(this.port);
			assertThat(browser.passwordStep("racer").redirectPath()).isEqualTo("/verify-2fa");
			tokens.add(browser.get("/verify-2fa").csrfToken());
			browsers.add(browser);
		}

		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(20);
		try {
			List<Future<HttpBrowser.Page>> results = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				HttpBrowser browser = browsers.get(i);
				String token = tokens.get(i);
				results.add(pool.submit(() -> {
					start.await();
					return browser.post("/verify-2fa", Map.of("code", code), token);
				}));
			}
			start.countDown();
			int signedIn = 0;
			for (Future<HttpBrowser.Page> result : results) {
				HttpBrowser.Page page = result.get();
				if (page.status() == 302 && "/".equals(page.redirectPath())) {
					signedIn++;
				}
				else if (page.status() == 200) {
					// Refused as a replay, or (the replays count as failures) by the
					// second-factor lockout.
					assertThat(page.body()).containsAnyOf("already been used", "Too many wrong codes");
				}
				else {
					assertThat(page.redirectPath()).as("the lockout ended this pending login").isEqualTo("/login");
				}
			}
			assertThat(signedIn).isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
		long atHome = browsers.stream().filter((browser) -> browser.get("/").status() == 200).count();
		assertThat(atHome).isEqualTo(1);
	}

	@Test
	void logoutWhenOldSessionCookieReplayedThenItNoLongerWorks() {
		HttpBrowser browser = new HttpBrowser(this.port);
		browser.registerAndEnroll("leaver", this.clock);
		assertThat(browser.get("/").status()).isEqualTo(200);
		String cookie = browser.sessionId().orElseThrow();
		HttpBrowser.Page home = browser.get("/");
		assertThat(browser.post("/logout", Map.of(), home.csrfToken()).redirectPath()).isEqualTo("/login");

		HttpBrowser attacker = new HttpBrowser(this.port);
		attacker.useSessionId(cookie);
		assertThat(attacker.get("/").redirectPath()).isEqualTo("/login");
	}

	@Test
	void sessionCookieWhenIssuedThenHttpOnlySameSiteLaxNotPersistentAndNeverInUrls() {
		HttpBrowser browser = new HttpBrowser(this.port);
		HttpBrowser.Page login = browser.get("/login");
		assertThat(login.raw().headers().allValues("Set-Cookie")).as("an anonymous page stores no session")
			.noneMatch((header) -> header.startsWith("SESSION="));
		HttpBrowser.Page registered = browser.submit("/register", "/register", Map.of("username", "cookie.jar",
				"password", TestAccounts.PASSWORD, "confirmPassword", TestAccounts.PASSWORD));
		String cookie = registered.raw()
			.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((header) -> header.startsWith("SESSION="))
			.findFirst()
			.orElseThrow();
		assertThat(cookie).startsWith("SESSION=")
			.contains("HttpOnly")
			.contains("SameSite=Lax")
			.doesNotContainIgnoringCase("Expires")
			.doesNotContainIgnoringCase("Max-Age")
			.doesNotContainIgnoringCase("Domain");
		assertThat(login.body()).doesNotContainIgnoringCase("jsessionid");
		assertThat(browser.get("/").location()).doesNotContainIgnoringCase("jsessionid");
	}

	@Test
	void actuatorWhenProbedThenHealthAndInfoOnlyWithoutDetails() {
		HttpBrowser probe = new HttpBrowser(this.port);
		for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
			HttpBrowser.Page health = probe.get(path);
			assertThat(health.status()).as(path).isEqualTo(200);
			assertThat(health.body()).as(path).contains("\"status\":\"UP\"").doesNotContain("components");
		}
		HttpBrowser.Page info = probe.get("/actuator/info");
		assertThat(info.status()).isEqualTo(200);
		assertThat(info.body()).as("which Argon2 runs").contains("\"implementation\":\"native\"");
		for (String hidden : List.of("/actuator/env", "/actuator/beans", "/actuator/sessions", "/actuator/metrics")) {
			assertThat(probe.get(hidden).status()).as(hidden).isNotEqualTo(200);
		}
	}

	@Test
	void errorPageWhenPageDoesNotExistThenFriendlyPageWithoutDetails() {
		HttpBrowser browser = new HttpBrowser(this.port);
		browser.registerAndEnroll("wanderer", this.clock);
		HttpBrowser.Page page = browser.get("/no-such-page");
		assertThat(page.status()).isEqualTo(404);
		assertThat(page.body()).contains("find that page").doesNotContain("Whitelabel").doesNotContain("Exception");
	}

	@Test
	void errorPageWhenFormPostedWithoutCsrfTokenThenForbiddenWithoutEchoOrStackTrace() {
		HttpBrowser browser = new HttpBrowser(this.port);
		HttpBrowser.Page page = browser.post("/login", Map.of("username", "%00\u0000<script>"), null);
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.body()).contains("form you sent has expired")
			.doesNotContain("<script>")
			.doesNotContain("at org.springframework");
	}

	/**
	 * Security review, finding 3: no Location header is ever built from the request's
	 * Host header.
	 */
	@Test
	void redirectWhenTheHostHeaderIsForeignThenTheLocationStaysOnThisApplication() throws IOException {
		String response = raw("GET /account HTTP/1.1\r\nHost: evil.example\r\nX-Forwarded-Host: evil.example\r\n"
				+ "Connection: close\r\n\r\n");
		assertThat(response).startsWith("HTTP/1.1 302").containsIgnoringCase("\nLocation: /login\r\n");
		assertThat(response).doesNotContain("evil.example");
	}

	/**
	 * Security review, finding 10: URLs the firewall or Tomcat refuses still get the
	 * error page with every security header, whatever the client accepts; {@code /error}
	 * asked for directly does not exist.
	 */
	@Test
	void errorWhenRefusedByTheFirewallOrAskedForDirectlyThenTheSameHtmlPageWithEveryHeader() throws IOException {
		for (String path : List.of("/account;", "//account", "/account%2f", "/account/%2e%2e/login", "/error")) {
			for (String accept : List.of("text/html", "application/json", "*/*")) {
				String response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: " + accept
						+ "\r\nConnection: close\r\n\r\n");
				assertThat(response).as("%s with Accept %s", path, accept)
					.matches("(?s)HTTP/1.1 (400|404) .*")
					.containsIgnoringCase("Content-Security-Policy: default-src 'self'")
					.containsIgnoringCase("X-Content-Type-Options: nosniff")
					.containsIgnoringCase("Content-Type: text/html")
					.contains("<h1")
					.doesNotContain("\"status\"")
					// The real status, not Spring's 999 for "none".
					.contains("Error " + response.substring(9, 12));
			}
		}
	}

	/** Security review, finding 11: anonymous page views store no session. */
	@Test
	void anonymousPagesWhenViewedAThousandTimesThenTheSessionTableIsAsItWas() {
		int before = this.jdbc.queryForObject("select count(*) from spring_session", Integer.class);
		for (int i = 0; i < 500; i++) {
			HttpBrowser visitor = new HttpBrowser(this.port);
			assertThat(visitor.get("/login").status()).isEqualTo(200);
			assertThat(visitor.get((i % 2 == 0) ? "/register" : "/account").status()).isIn(200, 302);
		}
		assertThat(this.jdbc.queryForObject("select count(*) from spring_session", Integer.class)).isEqualTo(before);
	}

	/**
	 * The whole response of one raw HTTP/1.1 request: headers exactly as sent, nothing
	 * normalised by a client.
	 */
	private String raw(String request) throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
