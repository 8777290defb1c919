package dev.totplogin.lockout;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * Consecutive failures and the lockout state of one budget ({@link Budget}) of one
 * account. Invariant: while {@code failedAttempts} is at the threshold,
 * {@code lockedUntil} is set (see {@link ThrottleRepository#reserveAttempt}).
 */
@Entity
@Table(name = "auth_throttle")
@IdClass(Throttle.Key.class)
class Throttle {

	@Id
	@Column(name = "account_id")
	private Long accountId;

	@Id
	@Enumerated(EnumType.STRING)
	@Column(name = "factor", length = 16)
	private Budget budget;

	@Column(name = "failed_attempts", nullable = false)
	private int failedAttempts;

	@Column(name = "lock_count", nullable = false)
	private int lockCount;

	@Column(name = "locked_until")
	private Instant lockedUntil;

	protected Throttle() {
	}

	Throttle(long accountId, Budget budget) {
		this.accountId = accountId;
		this.budget = budget;
	}

	int getFailedAttempts() {
		return this.failedAttempts;
	}

	int getLockCount() {
		return this.lockCount;
	}

	Instant getLockedUntil() {
		return this.lockedUntil;
	}

	static class Key implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

		private Long accountId;

		private Budget budget;

		protected Key() {
		}

		Key(long accountId, Budget budget) {
			this.accountId = accountId;
			this.budget = budget;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Key that && Objects.equals(this.accountId, that.accountId)
					&& this.budget == that.budget;
		}

		@Override
		public int hashCode() {
			return Objects.hash(this.accountId, this.budget);
		}

	}

}
