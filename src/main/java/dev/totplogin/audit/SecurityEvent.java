package dev.totplogin.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One line of an account's security history. Holds no password, code or secret, by
 * construction.
 */
@Entity
@Table(name = "security_event")
public class SecurityEvent {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(name = "account_id")
	private Long accountId;

	@Enumerated(EnumType.STRING)
	@Column(name = "event_type", nullable = false, length = 40)
	private SecurityEventType type;

	@Column(name = "occurred_at", nullable = false)
	private Instant occurredAt;

	@Column(name = "ip_address", length = 64)
	private String ipAddress;

	@Column(name = "user_agent")
	private String userAgent;

	@Column(name = "detail")
	private String detail;

	protected SecurityEvent() {
	}

	SecurityEvent(Long accountId, SecurityEventType type, Instant occurredAt, String ipAddress, String userAgent,
			String detail) {
		this.accountId = accountId;
		this.type = type;
		this.occurredAt = occurredAt;
		this.ipAddress = ipAddress;
		this.userAgent = userAgent;
		this.detail = detail;
	}

	public Long getId() {
		return this.id;
	}

	public Long getAccountId() {
		return this.accountId;
	}

	public SecurityEventType getType() {
		return this.type;
	}

	public Instant getOccurredAt() {
		return this.occurredAt;
	}

	public String getIpAddress() {
		return this.ipAddress;
	}

	public String getUserAgent() {
		return this.userAgent;
	}

	/** "Chrome on Linux": what the account page shows. */
	public String getBrowser() {
		return BrowserLabel.of(this.userAgent);
	}

	public String getDetail() {
		return this.detail;
	}

}
