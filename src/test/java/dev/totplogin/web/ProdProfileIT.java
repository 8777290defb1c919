package dev.totplogin.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import dev.totplogin.TotpLoginApplication;
import org.apache.catalina.valves.RemoteIpValve;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
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

	@Autowired
	private ServletWebServerApplicationContext context;

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

	private static ConfigurableApplicationContext prodApplication(String... more) {
		List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=test,prod", "--server.port=0"));
		arguments.addAll(List.of(more));
		return new SpringApplicationBuilder(TotpLoginApplication.class).run(arguments.toArray(String[]::new));
	}

}
