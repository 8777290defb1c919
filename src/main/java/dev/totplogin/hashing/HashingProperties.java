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
 * @param maxPerClient places (hashing or waiting) one client address may hold at once;
 * beyond that its requests are "busy" at once. 0 means half of all the places
 * (max-concurrent + max-queued)
 * @param maxNewHashes places new hashes (sign-ups, password changes and resets) may hold
 * at once, running or waiting, so that the rest stays for sign-ins; 0 means as many as
 * max-concurrent: they never queue ahead of a sign-in by more than that
 */
@ConfigurationProperties("app.security.hashing")
public record HashingProperties(@DefaultValue("0") int maxConcurrent, @DefaultValue("32") int maxQueued,
		@DefaultValue("2s") Duration maxWait, @DefaultValue("0") int maxPerClient,
		@DefaultValue("0") int maxNewHashes) {

	int effectiveMaxConcurrent() {
		return (this.maxConcurrent > 0) ? this.maxConcurrent : Runtime.getRuntime().availableProcessors();
	}

	int effectiveMaxNewHashes() {
		return (this.maxNewHashes > 0) ? this.maxNewHashes : effectiveMaxConcurrent();
	}

	private int halfOfThePlaces() {
		return Math.max(1, (effectiveMaxConcurrent() + this.maxQueued) / 2);
	}

	int effectiveMaxPerClient() {
		return (this.maxPerClient > 0) ? this.maxPerClient : halfOfThePlaces();
	}

}
