package dev.totplogin.hashing;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production hash, without the test profile's cheap parameters: Argon2id at OWASP's
 * minimum (19 MiB, 2 iterations, 1 lane), 16-byte salt, 32-byte hash, in the PHC format
 * other Argon2 libraries read.
 */
class Argon2ParametersTests {

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class, HashingConfiguration.class);

	@Test
	void passwordEncoderWhenDefaultsThenArgon2idAtOwaspMinimumBehindTheBound() {
		this.context.run((app) -> {
			PasswordEncoder encoder = app.getBean(PasswordEncoder.class);
			assertThat(encoder).isInstanceOf(BoundedPasswordEncoder.class);
			String hash = encoder.encode("a perfectly long passphrase");
			assertThat(hash)
				.matches("\\{argon2}\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
			assertThat(encoder.matches("a perfectly long passphrase", hash)).isTrue();
		});
	}

	@Test
	void passwordEncoderWhenParametersConfiguredThenUsesThem() {
		this.context.withPropertyValues("app.security.argon2.memory-kib=1024", "app.security.argon2.iterations=1")
			.run((app) -> assertThat(app.getBean(PasswordEncoder.class).encode("x"))
				.startsWith("{argon2}$argon2id$v=19$m=1024,t=1,p=1$"));
	}

	@Test
	void passwordEncoderWhenEitherImplementationThenTheSameHashesBehindTheBound() {
		for (String implementation : new String[] { "native", "java" }) {
			this.context.withPropertyValues("app.security.argon2.implementation=" + implementation).run((app) -> {
				assertThat(app.getBean(Argon2Implementation.class).running().name())
					.isEqualToIgnoringCase(implementation);
				PasswordEncoder encoder = app.getBean(PasswordEncoder.class);
				assertThat(encoder).isInstanceOf(BoundedPasswordEncoder.class);
				assertThat(encoder.encode("x")).startsWith("{argon2}$argon2id$v=19$m=19456,t=2,p=1$");
			});
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ Argon2Properties.class, HashingProperties.class })
	static class Properties {

	}

}
