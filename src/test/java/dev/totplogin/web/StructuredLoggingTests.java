package dev.totplogin.web;

import java.time.Clock;

import dev.totplogin.TotpLoginApplication;
import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.Journeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** With JSON logging selected, security events come out as fields a log pipeline can query. */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingTests {

	@Test
	void securityEventWhenJsonLoggingSelectedThenEventAndAccountAreFields(CapturedOutput output) {
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TotpLoginApplication.class).run(
				"--spring.profiles.active=test", "--server.port=0", "--logging.structured.format.console=ecs")) {
			int port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
			Journeys.registerAndEnroll(new HttpBrowser(port), "nina.json", Clock.systemUTC());
		}
		String registered = output.getOut()
			.lines()
			.filter((line) -> line.contains("SECOND_FACTOR_ENABLED"))
			.findFirst()
			.orElseThrow();
		assertThat(registered).startsWith("{")
			.contains("\"event\":\"SECOND_FACTOR_ENABLED\"")
			.contains("\"account\":")
			.doesNotContain(Journeys.PASSWORD);
	}

}
