package dev.totplogin.security;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session limits beyond NIST SP 800-63B-4's at AAL2 stop the application at start-up.
 */
class SecurityPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesOnly.class);

	@Test
	void startWhenDefaultsThenThirtyMinutesIdleAndTwelveHoursAbsolute() {
		this.runner.run((context) -> {
			SecurityProperties properties = context.getBean(SecurityProperties.class);
			assertThat(properties.idleTimeout()).hasMinutes(30);
			assertThat(properties.absoluteTimeout()).hasHours(12);
		});
	}

	@Test
	void startWhenAtTheLimitsThenAccepted() {
		this.runner.withPropertyValues("app.security.idle-timeout=1h", "app.security.absolute-timeout=24h")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startWhenIdleTimeoutOverOneHourThenRefused() {
		this.runner.withPropertyValues("app.security.idle-timeout=61m")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("app.security.idle-timeout must be more than 0 and at most 1h"));
	}

	@Test
	void startWhenAbsoluteTimeoutOverTwentyFourHoursThenRefused() {
		this.runner.withPropertyValues("app.security.absolute-timeout=25h")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("app.security.absolute-timeout must be more than 0 and at most 24h"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(SecurityProperties.class)
	static class PropertiesOnly {

	}

}
