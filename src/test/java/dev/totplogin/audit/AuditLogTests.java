package dev.totplogin.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Security events reach the log as key-value pairs: with
 * {@code logging.structured.format.console} set, Spring Boot writes them as JSON fields
 * ({@code "event":"LOCKED"}) a log pipeline can query.
 */
class AuditLogTests {

	private final SecurityEventRepository events = mock(SecurityEventRepository.class);

	private final AuditLog audit = new AuditLog(this.events,
			java.time.Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC), (event) -> {
			});

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Logger logger = (Logger) LoggerFactory.getLogger("security.audit");

	@BeforeEach
	void attach() {
		given(this.events.save(any())).willAnswer((invocation) -> invocation.getArgument(0));
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	@AfterEach
	void detach() {
		this.logger.detachAppender(this.appender);
	}

	@Test
	void recordWhenEventHappensThenLoggedWithEventAccountAndDetailAsKeyValues() {
		this.audit.record(42L, SecurityEventType.LOCKED, "second factor until 2026-11-22T10:01:00Z");
		ILoggingEvent logged = this.appender.list.get(0);
		Map<String, Object> fields = logged.getKeyValuePairs()
			.stream()
			.filter((pair) -> pair.value != null)
			.collect(Collectors.toMap((pair) -> pair.key, (pair) -> pair.value));
		assertThat(fields).containsEntry("event", SecurityEventType.LOCKED)
			.containsEntry("account", 42L)
			.containsEntry("detail", "second factor until 2026-11-22T10:01:00Z");
		assertThat(logged.getFormattedMessage()).isEqualTo("security event LOCKED account=42 ip=null");
	}

}
