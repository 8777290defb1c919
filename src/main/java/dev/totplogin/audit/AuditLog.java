package dev.totplogin.audit;

import java.time.Clock;
import java.util.List;

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

	/** The most recent events of an account, newest first. */
	public List<SecurityEvent> recent(long accountId, int count) {
		return this.events.findByAccountIdOrderByOccurredAtDescIdDesc(accountId, Limit.of(count));
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
