package dev.totplogin.audit;

import java.time.Instant;

/**
 * Published inside the transaction that records a security event: other features react to
 * it (the mail package sends the owner a notification for the ones that warrant one).
 *
 * @param accountId the account, or null (an unknown username)
 * @param type what happened
 * @param detail the short fixed note that goes with it, or null
 * @param occurredAt when
 * @param ipAddress from where, if it came with a request
 * @param userAgent with which browser, if it came with a request
 */
public record SecurityEventRecorded(Long accountId, SecurityEventType type, String detail, Instant occurredAt,
		String ipAddress, String userAgent) {

	/** "Chrome on Linux". */
	public String browser() {
		return BrowserLabel.of(this.userAgent);
	}

}
