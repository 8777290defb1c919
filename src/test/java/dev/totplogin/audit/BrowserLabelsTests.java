package dev.totplogin.audit;

import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.context.support.ResourceBundleMessageSource;

import static org.assertj.core.api.Assertions.assertThat;

class BrowserLabelsTests {

	private static final String HEADLESS_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
			+ "(KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";

	private final BrowserLabels labels = new BrowserLabels(messages());

	@AfterEach
	void resetLocale() {
		LocaleContextHolder.resetLocaleContext();
	}

	@Test
	void displayWhenGermanThenTheWordsAroundTheNamesAreGerman() {
		LocaleContextHolder.setLocale(Locale.GERMAN);
		assertThat(this.labels.display(BrowserLabel.of(HEADLESS_CHROME))).isEqualTo("Headless Chrome unter Linux");
		assertThat(this.labels.display(BrowserLabel.of("curl/8.0")))
			.isEqualTo("Ein anderer Browser unter einem anderen System");
		assertThat(this.labels.display(BrowserLabel.of(null))).isEqualTo("Unbekannt");
	}

	@Test
	void displayWhenEnglishThenAsStored() {
		LocaleContextHolder.setLocale(Locale.ENGLISH);
		assertThat(this.labels.display(BrowserLabel.of(HEADLESS_CHROME))).isEqualTo("Headless Chrome on Linux");
		assertThat(this.labels.display("Unknown")).isEqualTo("Unknown");
	}

	private static ResourceBundleMessageSource messages() {
		ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
		messages.setBasename("messages");
		messages.setDefaultEncoding("UTF-8");
		messages.setFallbackToSystemLocale(false);
		return messages;
	}

}
