package dev.totplogin.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/** The prod profile behind a TLS-terminating proxy on the same host. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles({ "test", "prod" })
class ProdProfileIT {

	@LocalServerPort
	private int port;

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

}
