package dev.totplogin.audit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import dev.totplogin.account.AccountRegistered;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Records security events in the {@code security_event} table and as structured log lines
 * (key-value pairs that {@code logging.structured.format.console} turns into JSON
 * fields). The client's IP and browser come from the current request, when there is one.
 * Callers pass event types and short fixed details, never what a person typed.
 */
@Service
public class AuditLog {

	private static final Logger log = LoggerFactory.getLogger("security.audit");

	private static final int MAX_TEXT = 255;

	/** Events read at a time to make a page of history. */
	private static final int HISTORY_BATCH = 200;

	private final SecurityEventRepository events;

	private final Clock clock;

	AuditLog(SecurityEventRepository events, Clock clock) {
		this.events = events;
		this.clock = clock;
	}

	public void record(Long accountId, SecurityEventType type) {
		record(accountId, type, null);
	}

	public void record(Long accountId, SecurityEventType type, String detail) {
		HttpServletRequest request = currentRequest();
		String ip = (request != null) ? clean(request.getRemoteAddr(), 64) : null;
		String userAgent = (request != null) ? clean(request.getHeader("User-Agent"), MAX_TEXT) : null;
		this.events
			.save(new SecurityEvent(accountId, type, this.clock.instant(), ip, userAgent, clean(detail, MAX_TEXT)));
		log.atInfo()
			.setMessage("security event {} account={} ip={}")
			.addArgument(type)
			.addArgument(accountId)
			.addArgument(ip)
			.addKeyValue("event", type)
			.addKeyValue("account", accountId)
			.addKeyValue("ip", ip)
			.addKeyValue("detail", detail)
			.log();
	}

	/**
	 * A page of the account's history, newest first, runs of the same event grouped.
	 * @param before the id to start below (from {@link EventHistory#olderBefore()}), or
	 * null for the newest
	 * @param lines how many lines the page has at most
	 */
	public EventHistory history(long accountId, Long before, int lines) {
		List<EventGroup> groups = new ArrayList<>();
		long cursor = (before != null) ? before : Long.MAX_VALUE;
		while (true) {
			List<SecurityEvent> batch = this.events.findByAccountIdAndIdLessThanOrderByIdDesc(accountId, cursor,
					Limit.of(HISTORY_BATCH));
			for (SecurityEvent event : batch) {
				int lastIndex = groups.size() - 1;
				if (lastIndex >= 0 && groups.get(lastIndex).continuedBy(event)) {
					groups.set(lastIndex, groups.get(lastIndex).withOlder(event));
				}
				else if (groups.size() == lines) {
					return new EventHistory(groups, event.getId() + 1);
				}
				else {
					groups.add(EventGroup.of(event));
				}
				cursor = event.getId();
			}
			if (batch.size() < HISTORY_BATCH) {
				return new EventHistory(groups, null);
			}
		}
	}

	/** The newest event of the account among these types. */
	public Optional<SecurityEvent> latest(long accountId, SecurityEventType... types) {
		return this.events.findFirstByAccountIdAndTypeInOrderByIdDesc(accountId, List.of(types));
	}

	@EventListener
	void onRegistered(AccountRegistered registered) {
		record(registered.accountId(), SecurityEventType.REGISTERED);
	}

	private static HttpServletRequest currentRequest() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		return (attributes instanceof ServletRequestAttributes servlet) ? servlet.getRequest() : null;
	}

	/**
	 * Bounded, printable: a header is the client's to choose, so no control characters
	 * reach a log or a page.
	 */
	private static String clean(String value, int max) {
		if (value == null) {
			return null;
		}
		String printable = value.replaceAll("\\p{Cntrl}", "?");
		return (printable.length() > max) ? printable.substring(0, max) : printable;
	}

}
