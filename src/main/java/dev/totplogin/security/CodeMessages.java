package dev.totplogin.security;

import java.time.Clock;
import java.time.Duration;

import org.springframework.validation.BindingResult;

/** Puts the message for a refused second-factor attempt next to the field the code was typed into. */
public final class CodeMessages {

	private CodeMessages() {
	}

	/** For a TOTP code. */
	public static void reject(BindingResult result, String field, CodeCheck check, Clock clock) {
		reject(result, field, check, clock, "code.invalid");
	}

	/**
	 * @param invalidKey the message for a wrong code
	 */
	public static void reject(BindingResult result, String field, CodeCheck check, Clock clock, String invalidKey) {
		switch (check.outcome()) {
			case REPLAYED -> result.rejectValue(field, "code.replayed");
			case LOCKED, NOW_LOCKED -> result.rejectValue(field, "code.locked",
					new Object[] { minutesLeft(check, clock) }, null);
			default -> result.rejectValue(field, invalidKey);
		}
	}

	/** Whole minutes until the lock ends, at least one (also when the lock's end is not known yet). */
	static long minutesLeft(CodeCheck check, Clock clock) {
		if (check.lockedUntil() == null) {
			return 1;
		}
		long seconds = Duration.between(clock.instant(), check.lockedUntil()).toSeconds();
		return Math.max(1, (seconds + 59) / 60);
	}

}
