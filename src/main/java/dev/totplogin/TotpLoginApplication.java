package dev.totplogin;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
@ConfigurationPropertiesScan
public class TotpLoginApplication {

	public static void main(String[] args) {
		SpringApplication.run(TotpLoginApplication.class, args);
	}

	/** One clock for every time-based decision, so tests can move time instead of sleeping. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
