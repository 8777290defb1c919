package dev.totplogin.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the account page's history: an event, or a run of the same event from the
 * same IP address and browser in a row ("10 wrong passwords from 203.0.113.7,
 * 08:40–08:41"), so that repeated failures cannot push the owner's real events out of
 * sight.
 *
 * @param type what happened
 * @param count how many times in a row
 * @param first when the first of them happened
 * @param last when the last of them happened
 * @param ipAddress where from
 * @param userAgent with which browser (the full header)
 */
public record EventGroup(SecurityEventType type, int count, Instant first, Instant last, String ipAddress,
		String userAgent) {

	static EventGroup of(SecurityEvent event) {
		return new EventGroup(event.getType(), 1, event.getOccurredAt(), event.getOccurredAt(), event.getIpAddress(),
				event.getUserAgent());
	}

	/** Whether an older event continues this run: same type, IP address and browser. */
	boolean continuedBy(SecurityEvent older) {
		return this.type == older.getType() && Objects.equals(this.ipAddress, older.getIpAddress())
				&& Objects.equals(this.userAgent, older.getUserAgent());
	}

	EventGroup withOlder(SecurityEvent older) {
		return new EventGroup(this.type, this.count + 1, older.getOccurredAt(), this.last, this.ipAddress,
				this.userAgent);
	}

	/** "Chrome on Linux": what the account page shows. */
	public String browser() {
		return BrowserLabel.of(this.userAgent);
	}

	public boolean repeated() {
		return this.count > 1;
	}

}
