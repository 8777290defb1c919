package dev.totplogin.audit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of security event has the words the account page shows for it. */
class EventMessagesTests {

	@Test
	void everyEventTypeWhenShownThenHasAMessage() throws IOException {
		Properties messages = new Properties();
		try (InputStream in = getClass().getResourceAsStream("/messages.properties")) {
			messages.load(in);
		}
		assertThat(Arrays.stream(SecurityEventType.values()).map((type) -> "event." + type.name()))
			.allSatisfy((key) -> assertThat(messages.getProperty(key)).as(key).isNotBlank());
	}

}
