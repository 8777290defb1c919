package dev.totplogin.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import dev.totplogin.hashing.HashingLoad;
import dev.totplogin.mail.Mailer;
import dev.totplogin.security.AccountSessions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The gauges: hashing places (read from memory at each scrape), the mail outbox and the
 * signed-in sessions. The last two are counts in the database, the same for every
 * instance: each is one indexed query, reused for {@link #REUSE} so that scrapes (of
 * every instance, by several Prometheus servers) cost at most one query per interval and
 * never a scan per second.
 */
@Component
class StateGauges implements MeterBinder {

	/** How long a database count is reused. */
	static final Duration REUSE = Duration.ofSeconds(10);

	private static final Logger log = LoggerFactory.getLogger(StateGauges.class);

	private final HashingLoad hashing;

	private final Reused<Mailer.Outbox> outbox;

	private final Reused<Long> sessions;

	private final Clock clock;

	StateGauges(HashingLoad hashing, Mailer mailer, AccountSessions accountSessions, Clock clock) {
		this.hashing = hashing;
		this.clock = clock;
		this.outbox = new Reused<>(mailer::outbox, clock);
		this.sessions = new Reused<>(accountSessions::countSignedIn, clock);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("totplogin.hashing.permits.in.use", this.hashing, HashingLoad::inUse)
			.description("Password hashes running now")
			.register(registry);
		Gauge.builder("totplogin.hashing.permits.max", this.hashing, HashingLoad::maxConcurrent)
			.description("Password hashes that may run at once (app.security.hashing.max-concurrent)")
			.register(registry);
		Gauge.builder("totplogin.hashing.queued", this.hashing, HashingLoad::queued)
			.description("Password hashes waiting for a turn now")
			.register(registry);
		Gauge.builder("totplogin.hashing.queue.max", this.hashing, HashingLoad::maxQueued)
			.description("Password hashes that may wait (app.security.hashing.max-queued)")
			.register(registry);
		Gauge.builder("totplogin.mail.outbox.depth", this, (gauges) -> gauges.outbox(false))
			.description("Mail messages written and not sent yet (all instances)")
			.register(registry);
		Gauge.builder("totplogin.mail.outbox.oldest.age", this, (gauges) -> gauges.outbox(true))
			.description("Age of the oldest mail message not sent yet, 0 if none (all instances)")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("totplogin.sessions.signed.in", this, StateGauges::signedIn)
			.description("Sessions signed in now, idle or absolute limit not reached (all instances)")
			.register(registry);
	}

	private double outbox(boolean age) {
		Mailer.Outbox now = this.outbox.get();
		if (now == null) {
			return Double.NaN;
		}
		if (!age) {
			return now.depth();
		}
		return (now.oldest() != null)
				? Math.max(0, Duration.between(now.oldest(), this.clock.instant()).toMillis() / 1000.0) : 0;
	}

	private double signedIn() {
		Long count = this.sessions.get();
		return (count != null) ? count : Double.NaN;
	}

	/**
	 * A value from the database, asked again only once it is {@link #REUSE} old; null
	 * while the database cannot be reached (the gauge then reads NaN, not an old value).
	 */
	static final class Reused<T> {

		private final Supplier<T> query;

		private final Clock clock;

		private T value;

		private Instant askedAt;

		Reused(Supplier<T> query, Clock clock) {
			this.query = query;
			this.clock = clock;
		}

		synchronized T get() {
			Instant now = this.clock.instant();
			if (this.askedAt == null || !now.isBefore(this.askedAt.plus(REUSE))) {
				this.askedAt = now;
				try {
					this.value = this.query.get();
				}
				catch (DataAccessException ex) {
					log.warn("A metric could not be read from the database: {}", ex.getClass().getSimpleName());
					this.value = null;
				}
			}
			return this.value;
		}

	}

}
