package dev.totplogin.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.totplogin.support.DebianBinary;
import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestClockConfiguration;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prometheus's own tooling on what this application serves and ships: a running server
 * with its management port apart (as in {@code prod}) signs people in and out of their
 * codes, then {@code promtool check metrics} reads the scrape of its management port,
 * {@code promtool check rules} and {@code promtool test rules} the alert rules in
 * {@code docs/prometheus/}, and every metric the dashboard and the rules ask for is in
 * the scrape. The public port never serves the metrics. promtool comes from Debian's
 * {@code prometheus} package ({@code .ci/run} installs it).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ActiveProfiles("test")
@Import(TestClockConfiguration.class)
class PrometheusToolingIT {

	private static final Path RULES = Path.of("docs", "prometheus", "alerts.yml");

	private static final Path RULE_TESTS = Path.of("docs", "prometheus", "alerts.test.yml");

	private static final Path DASHBOARD = Path.of("docs", "grafana-dashboard.json");

	/** A metric name in PromQL: ours all start so. */
	private static final Pattern METRIC = Pattern.compile("\\btotplogin_[a-z0-9_]+");

	/**
	 * Micrometer's and Spring Boot's own meters that promtool's lint finds fault with: no
	 * help text (the HTTP server's timers, Tomcat's session counts), an abbreviated unit
	 * in the name ({@code _ms}, {@code _ns}), a {@code _count} suffix on a gauge. Their
	 * names are what every Spring Boot dashboard expects.
	 */
	private static final Set<String> FOREIGN_LINT = Set.of("http_server_requests_active_seconds",
			"http_server_requests_active_seconds_max", "http_server_requests_seconds",
			"http_server_requests_seconds_max", "jvm_compilation_time_ms_total", "process_cpu_time_ns_total",
			"system_cpu_count", "tomcat_sessions_active_current_sessions", "tomcat_sessions_active_max_sessions",
			"tomcat_sessions_alive_max_seconds", "tomcat_sessions_created_sessions_total",
			"tomcat_sessions_expired_sessions_total", "tomcat_sessions_rejected_sessions_total");

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private MutableClock clock;

	@Test
	void scrapeWhenPeopleSignedInRightAndWrongThenPromtoolFindsNoProblemAndTheDocsNameOnlyScrapedMetrics()
			throws Exception {
		Path promtool = DebianBinary.require("prometheus", Path.of("/usr/bin/promtool"));
		signInsRightAndWrong();

		HttpResponse<String> publicPort = get(this.port, "/actuator/prometheus");
		assertThat(publicPort.statusCode()).as("the public port").isNotEqualTo(200);
		assertThat(publicPort.body()).doesNotContain("totplogin_");

		HttpResponse<String> scrape = get(this.managementPort, "/actuator/prometheus");
		assertThat(scrape.statusCode()).isEqualTo(200);
		String metrics = scrape.body();
		assertThat(metrics).contains("totplogin_signin_attempts_total{result=\"ok\",step=\"password\"} 1.0",
				"totplogin_signin_attempts_total{result=\"wrong\",step=\"password\"} 1.0",
				"totplogin_signin_attempts_total{result=\"wrong\",step=\"totp\"} 1.0",
				"totplogin_signin_attempts_total{result=\"ok\",step=\"totp\"} 1.0");

		Result ours = run(ours(metrics), promtool.toString(), "check", "metrics");
		assertThat(ours.exit()).as(ours.output()).isZero();
		assertThat(ours.output()).as("promtool's lint of the totplogin_ metrics").isBlank();
		// The whole scrape: it parses (exit 3 is lint only), and the lint is only about
		// Micrometer's and Spring Boot's own meters (docs/metrics.md says why each
		// stays).
		Result all = run(metrics, promtool.toString(), "check", "metrics");
		assertThat(all.exit()).as(all.output()).isIn(0, 3);
		for (String problem : all.output().strip().split("\n")) {
			if (!problem.isBlank()) {
				assertThat(problem.split(" ", 2)[0]).as(problem).isIn(FOREIGN_LINT);
			}
		}

		Result rules = run(null, promtool.toString(), "check", "rules", RULES.toString());
		assertThat(rules.exit()).as(rules.output()).isZero();
		assertThat(rules.output()).contains("SUCCESS: 4 rules found");
		Result tests = run(null, promtool.toString(), "test", "rules", RULE_TESTS.toString());
		assertThat(tests.exit()).as(tests.output()).isZero();
		assertThat(tests.output()).contains("SUCCESS");

		Set<String> scraped = scrapedNames(metrics);
		Set<String> asked = new TreeSet<>(metricsIn(Files.readString(RULES)));
		JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
		assertThat(dashboard.at("/templating/list/0/type").asString()).isEqualTo("datasource");
		assertThat(dashboard.at("/templating/list/0/query").asString()).isEqualTo("prometheus");
		List<String> expressions = new ArrayList<>();
		for (JsonNode panel : dashboard.get("panels")) {
			assertThat(panel.at("/datasource/uid").asString()).as(panel.get("title").asString())
				.isEqualTo("${datasource}");
			panel.get("targets").forEach((target) -> expressions.add(target.get("expr").asString()));
		}
		assertThat(expressions).hasSizeGreaterThanOrEqualTo(12);
		expressions.forEach((expression) -> asked.addAll(metricsIn(expression)));
		assertThat(asked).hasSizeGreaterThanOrEqualTo(10);
		assertThat(scraped).as("the scrape's metrics").containsAll(asked);
	}

	/**
	 * One person: a right password then a wrong code and a right one; then a wrong
	 * password.
	 */
	private void signInsRightAndWrong() {
		HttpBrowser browser = new HttpBrowser(this.port);
		String secret = browser.registerAndEnroll("scraped", this.clock);
		HttpBrowser again = new HttpBrowser(this.port);
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(again.passwordStep("scraped").redirectPath()).isEqualTo("/verify-2fa");
		String token = again.get("/verify-2fa").csrfToken();
		String right = TestTotp.code(secret, this.clock.instant());
		String wrong = right.equals("000000") ? "111111" : "000000";
		HttpBrowser.Page refused = again.post("/verify-2fa", Map.of("code", wrong), token);
		assertThat(refused.status()).isEqualTo(200);
		assertThat(again.post("/verify-2fa", Map.of("code", right), refused.csrfToken()).redirectPath()).isEqualTo("/");
		HttpBrowser.Page wrongPassword = new HttpBrowser(this.port).submit("/login", "/login",
				Map.of("username", "scraped", "password", TestAccounts.PASSWORD + "x"));
		assertThat(wrongPassword.redirectPath()).startsWith("/login");
	}

	/** The scrape's totplogin_ families, with their HELP and TYPE lines. */
	private static String ours(String metrics) {
		StringBuilder ours = new StringBuilder();
		for (String line : metrics.split("\n")) {
			if (line.startsWith("totplogin_") || line.startsWith("# HELP totplogin_")
					|| line.startsWith("# TYPE totplogin_")) {
				ours.append(line).append('\n');
			}
		}
		assertThat(ours).contains("# HELP totplogin_signin_attempts_total");
		return ours.toString();
	}

	private static Set<String> scrapedNames(String metrics) {
		Set<String> names = new TreeSet<>();
		for (String line : metrics.split("\n")) {
			if (!line.startsWith("#") && !line.isBlank()) {
				names.add(line.split("[{ ]", 2)[0]);
			}
		}
		return names;
	}

	private static Set<String> metricsIn(String text) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = METRIC.matcher(text);
		while (matcher.find()) {
			names.add(matcher.group());
		}
		return names;
	}

	private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static Result run(String input, String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try (var stdin = process.getOutputStream()) {
			if (input != null) {
				stdin.write(input.getBytes(StandardCharsets.UTF_8));
			}
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return new Result(process.waitFor(), output);
	}

	private record Result(int exit, String output) {

	}

}
