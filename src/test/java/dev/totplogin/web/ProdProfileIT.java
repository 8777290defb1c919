package dev.totplogin.web;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.totplogin.TotpLoginApplication;
import dev.totplogin.account.AccountService;
import dev.totplogin.account.AccountTokens;
import dev.totplogin.account.AccountTokens.Purpose;
import dev.totplogin.support.TestAccounts;
import org.apache.catalina.valves.RemoteIpValve;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The prod profile behind a TLS-terminating proxy on the same host. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.mail.host=localhost", "app.base-url=https://login.example.com" })
@ActiveProfiles({ "test", "prod" })
class ProdProfileIT {

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private ServletWebServerApplicationContext context;

	@Autowired
	private AccountService accountService;

	@Autowired
	private AccountTokens tokens;

	@Test
	void prodWhenProxiedOverHttpsThenSecureCookieAndHsts() throws Exception {
		HttpResponse<Void> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/login"))
				.header("X-Forwarded-Proto", "https")
				.build(), HttpResponse.BodyHandlers.discarding());
		assertThat(response.headers().firstValue("Set-Cookie")).get()
			.asString()
			.contains("Secure")
			.contains("HttpOnly");
		assertThat(response.headers().firstValue("Strict-Transport-Security")).get()
			.asString()
			.contains("max-age=31536000");
	}

	/**
	 * Issue 27, finding 5: in {@code prod} the session cookie is a {@code __Host-} cookie
	 * (Secure, the whole path, no Domain), so no sibling subdomain can plant one; here
	 * the session that following a reset link creates.
	 */
	@Test
	void prodWhenASessionIsCreatedThenItsCookieIsHostPrefixedSecureForTheWholePath() throws Exception {
		long accountId = this.accountService.register("prod.cookie", this.accountService.hash(TestAccounts.PASSWORD))
			.getId();
		String token = this.tokens.issue(accountId, Purpose.RESET_PASSWORD, "prod.cookie@example.com");
		HttpResponse<Void> response = send(HttpRequest.newBuilder(uri("/password/reset?token=" + token)));
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().allValues("Set-Cookie")).filteredOn((cookie) -> cookie.contains("SESSION="))
			.singleElement()
			.asString()
			.startsWith("__Host-SESSION=")
			.contains("Secure", "HttpOnly", "Path=/;")
			.doesNotContainIgnoringCase("Domain");
	}

	/**
	 * Issue 27, finding 3: a planted language cookie that does not parse answers no 500,
	 * static files included, and the footer's switch replaces it with a {@code __Host-}
	 * cookie.
	 */
	@Test
	void prodWhenTheLanguageCookieIsMalformedThenPagesAndFilesAnswerAndTheSwitchRepairsIt() throws Exception {
		for (String planted : List.of("LANGUAGE=de%22", "__Host-LANGUAGE=de%22", "LANGUAGE=\"><script>",
				"__Host-LANGUAGE=\"><script>", "__Host-LANGUAGE=tr")) {
			for (String path : List.of("/login", "/assets/app.css", "/webjars/bootstrap/css/bootstrap.min.css")) {
				HttpResponse<String> response = sendForText(
						HttpRequest.newBuilder(uri(path)).header("Cookie", planted));
				assertThat(response.statusCode()).as("%s with %s", path, planted).isEqualTo(200);
				assertThat(response.headers().firstValue("Content-Language").orElse("en"))
					.as("%s with %s", path, planted)
					.isEqualTo("en");
			}
		}
		HttpResponse<String> login = sendForText(HttpRequest.newBuilder(uri("/login")));
		String csrfCookie = login.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((cookie) -> cookie.startsWith("__Host-XSRF-TOKEN="))
			.map((cookie) -> cookie.substring(0, cookie.indexOf(';')))
			.findFirst()
			.orElseThrow();
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(login.body());
		assertThat(csrf.find()).isTrue();
		HttpResponse<Void> switched = send(HttpRequest.newBuilder(uri("/language"))
			.header("Cookie", csrfCookie + "; __Host-LANGUAGE=de%22")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(
					"lang=de&returnTo=/login&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))));
		assertThat(switched.statusCode()).isEqualTo(302);
		assertThat(switched.headers().allValues("Set-Cookie"))
			.anySatisfy((cookie) -> assertThat(cookie).startsWith("__Host-LANGUAGE=de;")
				.contains("Secure", "HttpOnly", "Path=/;")
				.doesNotContainIgnoringCase("Domain"));
	}

	/**
	 * Security review, finding 9: X-Forwarded-* is believed only from the proxies the
	 * operator names (loopback by default), never from every private address.
	 */
	@Test
	void prodWhenAskedWhichProxiesAreTrustedThenLoopbackOnlyNotThePrivateRanges() {
		TomcatWebServer server = (TomcatWebServer) this.context.getWebServer();
		RemoteIpValve valve = Arrays.stream(server.getTomcat().getEngine().getPipeline().getValves())
			.filter(RemoteIpValve.class::isInstance)
			.map(RemoteIpValve.class::cast)
			.findFirst()
			.orElseThrow();
		Pattern trusted = Pattern.compile(valve.getInternalProxies());
		assertThat(List.of("127.0.0.1", "0:0:0:0:0:0:0:1")).allMatch((ip) -> trusted.matcher(ip).matches());
		assertThat(List.of("10.0.0.1", "192.168.1.20", "172.16.0.3", "169.254.1.1", "100.64.0.1"))
			.noneMatch((ip) -> trusted.matcher(ip).matches());
	}

	/**
	 * Without SMTP or without the base URL of its links, {@code prod} refuses to start,
	 * and says what to set.
	 */
	@Test
	void prodWhenMailOrTheBaseUrlIsMissingThenRefusesToStartWithTheReason() {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> prodApplication("--app.base-url=https://login.example.com").close())
			.havingRootCause()
			.withMessageContaining("SPRING_MAIL_HOST");
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> prodApplication("--spring.mail.host=localhost").close())
			.havingRootCause()
			.withMessageContaining("APP_BASE_URL");
		prodApplication("--app.mail.enabled=false", "--app.base-url=https://login.example.com").close();
	}

	/**
	 * Issue 31, point 5: in {@code prod} the actuator has a port of its own; the metrics
	 * are served there and nowhere on the public port, not even through the proxy.
	 */
	@Test
	void prodWhenMetricsAreAskedForThenOnlyTheManagementPortServesThem() throws Exception {
		assertThat(this.managementPort).isPositive().isNotEqualTo(this.port);
		HttpResponse<String> publicPort = sendForText(HttpRequest.newBuilder(uri("/actuator/prometheus")));
		assertThat(publicPort.statusCode()).isIn(302, 401, 403, 404);
		assertThat(publicPort.body()).doesNotContain("totplogin_");
		HttpResponse<String> management = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.managementPort + "/actuator/prometheus"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(management.statusCode()).isEqualTo(200);
		assertThat(management.body()).contains("# TYPE totplogin_signin_attempts_total counter");
		HttpResponse<String> readiness = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + this.managementPort + "/actuator/health/readiness"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(readiness.statusCode()).isEqualTo(200);
	}

	/** A request as the proxy forwards it: over HTTPS. */
	private HttpRequest.Builder https(HttpRequest.Builder request) {
		return request.header("X-Forwarded-Proto", "https").header("Accept", "text/html");
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpResponse<Void> send(HttpRequest.Builder request) throws Exception {
		return HttpClient.newHttpClient().send(https(request).build(), HttpResponse.BodyHandlers.discarding());
	}

	private HttpResponse<String> sendForText(HttpRequest.Builder request) throws Exception {
		return HttpClient.newHttpClient().send(https(request).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static ConfigurableApplicationContext prodApplication(String... more) {
		List<String> arguments = new ArrayList<>(
				List.of("--spring.profiles.active=test,prod", "--server.port=0", "--management.server.port=0"));
		arguments.addAll(List.of(more));
		return new SpringApplicationBuilder(TotpLoginApplication.class).run(arguments.toArray(String[]::new));
	}

}
