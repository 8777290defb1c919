package dev.totplogin.account;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.totplogin.support.RangeApiStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optional lookup of known breaches against a local stub of Have I Been Pwned's range
 * API: off unless enabled, only a five-digit hash prefix sent, and no answer (refused
 * connection, error status, too slow) means the local rules alone decide.
 */
@ExtendWith(OutputCaptureExtension.class)
class BreachedPasswordsTests {

	/** Passes the local rules (zxcvbn included), but the stub lists it as breached. */
	static final String BREACHED = "violet anchor marble drizzle";

	static final String CLEAN = "lantern orbit cellar tulip";

	private final RangeApiStub stub = RangeApiStub.start(BREACHED);

	@AfterEach
	void closeStub() {
		this.stub.close();
	}

	@Test
	void checkWhenNotEnabledThenNoRequestReachesTheServiceAndNothingIsBreached() {
		BreachedPasswords breached = new BreachedPasswords(bound(Map.of("api-url", this.stub.url())));
		assertThat(breached.breached(BREACHED)).isFalse();
		assertThat(new PasswordPolicy(breached).checkNew(BREACHED, "someone")).isEmpty();
		assertThat(this.stub.received()).isEmpty();
	}

	@Test
	void checkWhenEnabledAndPasswordListedThenBreachedAndOnlyAFiveDigitPrefixOfItsHashWasSent() {
		BreachedPasswords breached = enabled(Duration.ofSeconds(5));
		assertThat(breached.breached(BREACHED)).isTrue();
		String hash = RangeApiStub.sha1(BREACHED);
		assertThat(this.stub.received()).singleElement().satisfies((request) -> {
			assertThat(request.method()).isEqualTo("GET");
			assertThat(request.rawPathAndQuery()).isEqualTo("/range/" + hash.substring(0, 5))
				.matches("/range/[0-9A-F]{5}");
			assertThat(request.body()).isEmpty();
			assertThat(request.addPadding()).isEqualTo("true");
		});
	}

	@Test
	void checkWhenEnabledAndPasswordNotListedThenNotBreached() {
		BreachedPasswords breached = enabled(Duration.ofSeconds(5));
		assertThat(breached.breached(CLEAN)).isFalse();
		assertThat(this.stub.received()).singleElement()
			.satisfies((request) -> assertThat(request.rawPathAndQuery())
				.isEqualTo("/range/" + RangeApiStub.sha1(CLEAN).substring(0, 5)));
	}

	@Test
	void policyWhenEnabledThenANewPasswordInBreachesIsRefusedButTheStrengthHintNeverAsks() {
		PasswordPolicy policy = new PasswordPolicy(enabled(Duration.ofSeconds(5)));
		assertThat(policy.check(BREACHED, "someone")).as("the live hint: local rules").isEmpty();
		assertThat(this.stub.received()).isEmpty();
		assertThat(policy.checkNew(BREACHED, "someone"))
			.hasValueSatisfying((violation) -> assertThat(violation.messageKey()).isEqualTo("password.breached"));
		assertThat(policy.checkNew(CLEAN, "someone")).isEmpty();
		// A password the local rules refuse is not sent at all.
		this.stub.forget();
		assertThat(policy.checkNew("password1234", "someone"))
			.hasValueSatisfying((violation) -> assertThat(violation.messageKey()).isEqualTo("password.common"));
		assertThat(this.stub.received()).isEmpty();
	}

	@Test
	void checkWhenServiceUnreachableThenFailsOpenAndLogsNeitherPasswordNorHash(CapturedOutput output)
			throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		BreachedPasswords breached = new BreachedPasswords(bound(Map.of("enabled", "true", "api-url",
				"http://127.0.0.1:" + closedPort + "/range/", "timeout", "500ms")));
		assertThat(breached.breached(BREACHED)).isFalse();
		assertNoAnswerLogged(output);
	}

	@Test
	void checkWhenServiceAnswersWithAnErrorThenFailsOpen(CapturedOutput output) {
		this.stub.answerWith(503);
		assertThat(enabled(Duration.ofSeconds(5)).breached(BREACHED)).isFalse();
		assertThat(this.stub.received()).hasSize(1);
		assertNoAnswerLogged(output);
		assertThat(output).contains("HTTP status 503");
	}

	@Test
	void checkWhenServiceAnswersTooLateThenFailsOpen(CapturedOutput output) {
		this.stub.answerLate();
		assertThat(enabled(Duration.ofMillis(300)).breached(BREACHED)).isFalse();
		assertThat(this.stub.received()).hasSize(1);
		assertNoAnswerLogged(output);
	}

	private static void assertNoAnswerLogged(CapturedOutput output) {
		String hash = RangeApiStub.sha1(BREACHED);
		assertThat(output).contains("The breached-password check got no answer")
			.doesNotContain(BREACHED)
			.doesNotContain(hash.substring(0, 5))
			.doesNotContain(hash.substring(0, 5).toLowerCase(java.util.Locale.ROOT))
			.doesNotContain(hash.substring(5));
	}

	private BreachedPasswords enabled(Duration timeout) {
		return new BreachedPasswords(
				bound(Map.of("enabled", "true", "api-url", this.stub.url(), "timeout", timeout.toMillis() + "ms")));
	}

	/**
	 * The properties as Spring Boot binds them: a record default for what is not given.
	 */
	private static BreachedPasswordProperties bound(Map<String, String> given) {
		Map<String, String> properties = new HashMap<>();
		given.forEach((name, value) -> properties.put("app.breached-passwords." + name, value));
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("app.breached-passwords",
				BreachedPasswordProperties.class);
	}

}
