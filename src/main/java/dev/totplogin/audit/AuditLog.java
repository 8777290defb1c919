package dev.totplogin.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.totplogin.account.AccountRegistered;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records security events in the {@code security_event} table and as structured log lines
 * (key-value pairs that {@code logging.structured.format.console} turns into JSON
 * fields). The client's IP and browser come from the current request, when there is one.
 * Callers pass event types and short fixed details, never what a person typed.
 */
@Service
public class AuditLog {

	private static final Logger log = LoggerFactory.getLogger("security.audit");

	/** Events read at a time to make a page of history. */
	private static final int HISTORY_BATCH = 200;

	private final SecurityEventRepository events;

	private final Clock clock;

	private final ApplicationEventPublisher publisher;

	AuditLog(SecurityEventRepository events, Clock clock, ApplicationEventPublisher publisher) {
		this.events = events;
		this.clock = clock;
		this.publisher = publisher;
	}

	public void record(Long accountId, SecurityEventType type) {
		record(accountId, type, null);
	}

	/**
	 * Stores the event and tells the application ({@link SecurityEventRecorded}), in one
	 * transaction: what a listener writes (a notification mail) is stored with the event,
	 * or not at all.
	 */
	@Transactional
	public void record(Long accountId, SecurityEventType type, String detail) {
		ClientInfo client = ClientInfo.current();
		String ip = client.ipAddress();
		String userAgent = client.userAgent();
		Instant now = this.clock.instant();
		this.events.save(
				new SecurityEvent(accountId, type, now, ip, userAgent, ClientInfo.clean(detail, ClientInfo.MAX_TEXT)));
		this.publisher.publishEvent(new SecurityEventRecorded(accountId, type, detail, now, ip, userAgent));
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

	/**
	 * The newest event of the account among these types that happened before
	 * {@code before}: for a signed-in person, their sign-ins before this session's.
	 */
	public Optional<SecurityEvent> latestBefore(long accountId, Instant before, SecurityEventType... types) {
		return this.events.findFirstByAccountIdAndTypeInAndOccurredAtBeforeOrderByIdDesc(accountId, List.of(types),
				before);
	}

	/** Every event of the account, oldest first (the owner's download of their data). */
	public List<SecurityEvent> all(long accountId) {
		return this.events.findByAccountIdOrderByIdAsc(accountId);
	}

	/**
	 * The account is being deleted by its owner, in the caller's transaction: its events
	 * go (their addresses, browsers and times describe the person), and one pseudonymous
	 * line stays for the security record: the event, its time and the deleted account's
	 * id, no account row to point at, no name, no address, no browser. The log line names
	 * the client's address like every other (the logs' own retention applies).
	 */
	@Transactional
	public void accountDeleted(long accountId) {
		this.events.deleteByAccountId(accountId);
		ClientInfo client = ClientInfo.current();
		Instant now = this.clock.instant();
		String detail = "account " + accountId + " deleted by its owner";
		this.events.save(new SecurityEvent(null, SecurityEventType.ACCOUNT_DELETED, now, null, null, detail));
		this.publisher
			.publishEvent(new SecurityEventRecorded(null, SecurityEventType.ACCOUNT_DELETED, detail, now, null, null));
		log.atInfo()
			.setMessage("security event {} account={} ip={}")
			.addArgument(SecurityEventType.ACCOUNT_DELETED)
			.addArgument(accountId)
			.addArgument(client.ipAddress())
			.addKeyValue("event", SecurityEventType.ACCOUNT_DELETED)
			.addKeyValue("account", accountId)
			.addKeyValue("ip", client.ipAddress())
			.addKeyValue("detail", detail)
			.log();
	}

	@EventListener
	void onRegistered(AccountRegistered registered) {
		record(registered.accountId(), SecurityEventType.REGISTERED);
	}

}
