package dev.totplogin;

import java.time.Clock;

import dev.totplogin.operator.ResetSecondFactorCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
@ConfigurationPropertiesScan
public class TotpLoginApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(TotpLoginApplication.class);
		if (ResetSecondFactorCommand.isRequested(args)) {
			// An operator command: run it against the database and exit, no web server.
			System.exit(ResetSecondFactorCommand.run(application, args));
		}
		application.run(args);
	}

	/**
	 * One clock for every time-based decision, so tests can move time instead of
	 * sleeping.
	 */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
