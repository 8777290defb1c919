package dev.totplogin.metrics;

import java.util.concurrent.atomic.AtomicLong;

import dev.totplogin.mail.MailDropped;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * {@code totplogin_mail_dropped_total}: messages given up on after the last retry. A
 * dropped message leaves the outbox's depth and age ({@link StateGauges}), so it is
 * counted here, once, instead of keeping the outbox alert firing forever.
 */
@Component
class MailMetrics implements MeterBinder {

	private final AtomicLong dropped = new AtomicLong();

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("totplogin.mail.dropped", this.dropped, AtomicLong::get)
			.description("Mail messages given up on after the last retry")
			.register(registry);
	}

	@EventListener
	void onDropped(MailDropped dropped) {
		this.dropped.incrementAndGet();
	}

}
