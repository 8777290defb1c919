package dev.totplogin.hashing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds on password hashing under load ({@code app.security.hashing.*}).
 *
 * @param maxConcurrent hashes computed at once; 0 means one per CPU core
 * @param maxQueued requests that may wait for a turn; beyond that, "busy" at once
 * @param maxWait the longest a request waits for a turn before "busy"
 */
@ConfigurationProperties("app.security.hashing")
public record HashingProperties(@DefaultValue("0") int maxConcurrent, @DefaultValue("32") int maxQueued,
		@DefaultValue("2s") Duration maxWait) {

	int effectiveMaxConcurrent() {
		return (this.maxConcurrent > 0) ? this.maxConcurrent : Runtime.getRuntime().availableProcessors();
	}

}
