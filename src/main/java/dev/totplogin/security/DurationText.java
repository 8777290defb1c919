package dev.totplogin.security;

import java.time.Duration;
import java.util.Locale;

import org.springframework.context.MessageSource;

/**
 * A configured time limit in words, in the page's language: "12 hours", "30 minutes"
 * (whole hours as hours), for the messages that name one.
 */
public final class DurationText {

	private DurationText() {
	}

	public static String of(Duration limit, MessageSource messages, Locale locale) {
		boolean hours = limit.toMinutes() % 60 == 0;
		return messages.getMessage(hours ? "duration.hours" : "duration.minutes",
				new Object[] { hours ? limit.toHours() : limit.toMinutes() }, locale);
	}

}
