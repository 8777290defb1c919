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
 */
public record AttemptResult(Status status, Instant lockedUntil, Duration clockOffset) {

	public AttemptResult(Status status, Instant lockedUntil) {
		this(status, lockedUntil, null);
	}

	public enum Status {

		ACCEPTED,
		/** Wrong password or code. */
		WRONG,
		/** A valid TOTP code whose time step was already used. */
		REPLAYED,
		/** Refused without checking: the factor is locked. */
		LOCKED,
		/** Wrong, and that was the last attempt allowed: the factor is now locked. */
		NOW_LOCKED

	}

	/**
	 * The answer to a check that ran outside the lockout (e.g. enrollment, whose secret
	 * is on the screen).
	 */
	public static AttemptResult of(Verdict verdict) {
		return new AttemptResult(switch (verdict) {
			case ACCEPTED -> Status.ACCEPTED;
			case WRONG -> Status.WRONG;
			case REPLAYED -> Status.REPLAYED;
		}, null);
	}

	/** The same answer, with the phone's clock offset that a wrong code revealed. */
	public AttemptResult withClockOffset(Duration offset) {
		return new AttemptResult(this.status, this.lockedUntil, offset);
	}

	public boolean accepted() {
		return this.status == Status.ACCEPTED;
	}

	public boolean locked() {
		return this.status == Status.LOCKED || this.status == Status.NOW_LOCKED;
	}

}
