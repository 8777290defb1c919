package dev.totplogin.security;

import java.time.Instant;

/**
 * The answer to a second-factor attempt (TOTP or recovery code).
 *
 * @param outcome what happened
 * @param lockedUntil when the second factor unlocks, for {@code LOCKED} and {@code NOW_LOCKED} (null if not known yet)
 */
public record CodeCheck(Outcome outcome, Instant lockedUntil) {

	public enum Outcome {

		ACCEPTED,
		/** Not a valid code. */
		INVALID,
		/** A valid TOTP code whose time step was already used. */
		REPLAYED,
		/** Refused without checking: the second factor is locked. */
		LOCKED,
		/** Wrong, and that was the last attempt allowed: the second factor is now locked. */
		NOW_LOCKED

	}

	public static CodeCheck of(Outcome outcome) {
		return new CodeCheck(outcome, null);
	}

	public boolean accepted() {
		return this.outcome == Outcome.ACCEPTED;
	}

	public boolean locked() {
		return this.outcome == Outcome.LOCKED || this.outcome == Outcome.NOW_LOCKED;
	}

}
