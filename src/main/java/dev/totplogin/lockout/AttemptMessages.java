package dev.totplogin.lockout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.springframework.validation.BindingResult;

/**
 * Puts the message for a refused second-factor attempt next to the field the code was
 * typed into.
 */
public final class AttemptMessages {

	/** From this many attempts left, the message warns. */
	static final int FEW_LEFT = 2;

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

	private AttemptMessages() {
	}

	/**
	 * What was typed: the messages for a wrong one and for the lock, which says what to
	 * enter once it ends (a recovery code is not "the newest code").
	 */
	public enum Typed {

		CODE("code.invalid", "code.locked", "code.lockedMinutes"),

		RECOVERY_CODE("recoveryCode.invalid", "recoveryCode.locked", "recoveryCode.lockedMinutes");

		private final String wrongKey;

		private final String lockedKey;

		private final String lockedMinutesKey;

		Typed(String wrongKey, String lockedKey, String lockedMinutesKey) {
			this.wrongKey = wrongKey;
			this.lockedKey = lockedKey;
			this.lockedMinutesKey = lockedMinutesKey;
		}

	}

	/** For a TOTP code. */
	public static void rejectCode(BindingResult result, String field, AttemptResult attempt, Clock clock) {
		rejectCode(result, field, attempt, clock, Typed.CODE);
	}

	public static void rejectCode(BindingResult result, String field, AttemptResult attempt, Clock clock, Typed typed) {
		String wrongKey = typed.wrongKey;
		switch (attempt.status()) {
			case REPLAYED -> result.rejectValue(field, "code.replayed");
			case LOCKED, NOW_LOCKED -> rejectLocked(result, field, attempt.lockedUntil(), clock, typed);
			case OLD_AUTHENTICATOR -> result.rejectValue(field, "replace.oldCode");
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
		warnIfFewLeft(result, field, attempt);
	}

	/** Warns when the refusal left only a few attempts before the lock. */
	public static void warnIfFewLeft(BindingResult result, String field, AttemptResult attempt) {
		if (attempt.attemptsLeft() >= 1 && attempt.attemptsLeft() <= FEW_LEFT) {
			result.rejectValue(field, "code.fewLeft", new Object[] { attempt.attemptsLeft() }, null);
		}
	}

	/**
	 * The exact time the lock ends, and how long that is from now ("until 08:29:44 UTC,
	 * in 52 seconds").
	 */
	public static void rejectLocked(BindingResult result, String field, Instant until, Clock clock, Typed typed) {
		Instant end = (until != null) ? until : clock.instant().plus(Duration.ofMinutes(1));
		// Rounded up: the stored end may have lost its nanoseconds to the database.
		long seconds = Math.max(1, (Duration.between(clock.instant(), end).toMillis() + 999) / 1000);
		String time = TIME.format(end);
		if (seconds < 120) {
			result.rejectValue(field, typed.lockedKey, new Object[] { time, seconds }, null);
		}
		else {
			result.rejectValue(field, typed.lockedMinutesKey, new Object[] { time, (seconds + 59) / 60 }, null);
		}
	}

}
