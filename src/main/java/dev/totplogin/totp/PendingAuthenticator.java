package dev.totplogin.totp;

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
 * A secret shown to one session for setting up an authenticator, until a code from it
 * confirms it or it expires. Stored encrypted, and found only with the token that session
 * holds ({@link SetupSession}).
 */
@Entity
@Table(name = "pending_authenticator")
class PendingAuthenticator {

	enum Purpose {

		/** The account's first authenticator. */
		ENROLL,
		/** A new phone, replacing the current authenticator once confirmed. */
		REPLACE

	}

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(name = "account_id", nullable = false)
	private Long accountId;

	@Enumerated(EnumType.STRING)
	@Column(name = "purpose", nullable = false, length = 16)
	private Purpose purpose;

	@Column(name = "secret", nullable = false)
	private String secret;

	@Column(name = "session_token_hash", nullable = false, length = 64)
	private String sessionTokenHash;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	protected PendingAuthenticator() {
	}

	PendingAuthenticator(long accountId, Purpose purpose, String secret, String sessionTokenHash, Instant createdAt) {
		this.accountId = accountId;
		this.purpose = purpose;
		this.secret = secret;
		this.sessionTokenHash = sessionTokenHash;
		this.createdAt = createdAt;
	}

	Long getId() {
		return this.id;
	}

	Long getAccountId() {
		return this.accountId;
	}

	Purpose getPurpose() {
		return this.purpose;
	}

	String getSessionTokenHash() {
		return this.sessionTokenHash;
	}

	String getSecret() {
		return this.secret;
	}

}
