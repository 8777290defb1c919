package dev.totplogin.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every message in both languages (petclinic's I18nPropertiesSyncTest is the model): the
 * same keys, the same placeholders, and every German text a valid MessageFormat pattern.
 */
class MessagesSyncTests {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)");

	@Test
	void germanWhenComparedWithEnglishThenTheSameKeysAndPlaceholders() throws IOException {
		Properties english = load("messages.properties");
		Properties german = load("messages_de.properties");
		assertThat(german.stringPropertyNames()).as("keys").isEqualTo(english.stringPropertyNames());
		for (String key : english.stringPropertyNames()) {
			assertThat(placeholders(german.getProperty(key))).as(key).isEqualTo(placeholders(english.getProperty(key)));
			assertThat(german.getProperty(key)).as(key).isNotBlank();
		}
	}

	@Test
	void everyMessageWhenFormattedThenValid() throws IOException {
		for (String file : new String[] { "messages.properties", "messages_de.properties" }) {
			Properties messages = load(file);
			for (String key : messages.stringPropertyNames()) {
				assertThatCode(() -> new MessageFormat(messages.getProperty(key), Locale.GERMAN)
					.format(new Object[] { 1, 2, 3, 4 })).as(file + " " + key).doesNotThrowAnyException();
			}
		}
	}

	private static Set<String> placeholders(String text) {
		Set<String> found = new TreeSet<>();
		Matcher matcher = PLACEHOLDER.matcher(text);
		while (matcher.find()) {
			found.add(matcher.group(1));
		}
		return found;
	}

	private static Properties load(String name) throws IOException {
		Properties properties = new Properties();
		try (InputStream in = MessagesSyncTests.class.getResourceAsStream("/" + name)) {
			assertThat(in).as(name).isNotNull();
			properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
		}
		return properties;
	}

}
