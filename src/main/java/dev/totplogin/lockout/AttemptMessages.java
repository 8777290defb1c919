package dev.totplogin.lockout;

import java.time.Clock;
import java.time.Duration;

import org.springframework.validation.BindingResult;

/**
 * Puts the message for a refused second-factor attempt next to the field the code was
 * typed into.
 */
public final class AttemptMessages {

	private AttemptMessages() {
	}

	/** For a TOTP code. */
	public static void rejectCode(BindingResult result, String field, AttemptResult attempt, Clock clock) {
		rejectCode(result, field, attempt, clock, "code.invalid");
	}

	/**
	 * @param wrongKey the message for a wrong code
	 */
	public static void rejectCode(BindingResult result, String field, AttemptResult attempt, Clock clock,
			String wrongKey) {
		switch (attempt.status()) {
			case REPLAYED -> result.rejectValue(field, "code.replayed");
			case LOCKED, NOW_LOCKED ->
				result.rejectValue(field, "code.locked", new Object[] { minutesLeft(attempt, clock) }, null);
			default -> {
				if (attempt.clockOffset() != null) {
					long minutes = Math.max(1, Math.round(Math.abs(attempt.clockOffset().toSeconds()) / 60.0));
					result.rejectValue(field,
							attempt.clockOffset().isNegative() ? "code.clockBehind" : "code.clockAhead",
							new Object[] { minutes }, null);
				}
				else {
					result.rejectValue(field, wrongKey);
				}
			}
		}
	}

	/**
	 * Whole minutes until the lock ends, at least one (also when the lock's end is not
	 * known).
	 */
	static long minutesLeft(AttemptResult attempt, Clock clock) {
		if (attempt.lockedUntil() == null) {
			return 1;
		}
		long seconds = Duration.between(clock.instant(), attempt.lockedUntil()).toSeconds();
		return Math.max(1, (seconds + 59) / 60);
	}

}
