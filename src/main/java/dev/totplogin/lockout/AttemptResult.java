package dev.totplogin.lockout;

import java.time.Duration;
import java.time.Instant;

/**
 * The answer to one attempt at a factor under the account's lockout.
 *
 * @param status what happened
 * @param lockedUntil when the factor unlocks, for {@code LOCKED} and {@code NOW_LOCKED}
 * (null if not known)
 * @param clockOffset for a refused TOTP code that would have been right at another time
 * nearby: how far the phone's clock looks off (positive: ahead); else null
 * @param attemptsLeft after a refusal that did not lock: how many more failures the
 * lockout allows before it locks; -1 if not known
 */
public record AttemptResult(Status status, Instant lockedUntil, Duration clockOffset, int attemptsLeft) {

	public AttemptResult(Status status, Instant lockedUntil) {
		this(status, lockedUntil, null, -1);
	}

	/**
	 * What happened. A check run by {@link Attempts} answers with one of the first three;
	 * the lockout adds {@code LOCKED} and {@code NOW_LOCKED}, the authenticator's
	 * confirmations the last two.
	 */
	public enum Status {

		ACCEPTED,
		/** Wrong password or code. */
		WRONG,
		/** A valid TOTP code whose time step was already used. */
		REPLAYED,
		/** Refused without checking: the factor is locked. */
		LOCKED,
		/** Wrong, and that was the last attempt allowed: the factor is now locked. */
		NOW_LOCKED,
		/**
		 * Moving to a new phone: a code of the current (old) authenticator, not of the
		 * new one.
		 */
		OLD_AUTHENTICATOR,
		/**
		 * Setting up an authenticator: a code of a key shown before (to a session that
		 * has since signed out), not of the one on the page now.
		 */
		EARLIER_KEY

	}

	/**
	 * The answer to a check that ran outside the lockout (e.g. enrollment, whose secret
	 * is on the screen).
	 */
	public static AttemptResult of(Status status) {
		return new AttemptResult(status, null);
	}

	/** The same answer, with the phone's clock offset that a wrong code revealed. */
	public AttemptResult withClockOffset(Duration offset) {
		return new AttemptResult(this.status, this.lockedUntil, offset, this.attemptsLeft);
	}

	AttemptResult withAttemptsLeft(int left) {
		return new AttemptResult(this.status, this.lockedUntil, this.clockOffset, left);
	}

	public boolean accepted() {
		return this.status == Status.ACCEPTED;
	}

	public boolean locked() {
		return this.status == Status.LOCKED || this.status == Status.NOW_LOCKED;
	}

}
