package dev.totplogin.audit;

import java.util.Locale;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * A browser label ("Chrome on Linux", as {@link BrowserLabel} makes it and the session
 * and trusted-browser rows keep it) in the page's language: "Chrome unter Linux". The
 * names of browsers and systems stay as they are; the words around them are translated.
 * For the templates: {@code ${@browserLabels.display(label)}}.
 */
@Component
public class BrowserLabels {

	private final MessageSource messages;

	BrowserLabels(MessageSource messages) {
		this.messages = messages;
	}

	public String display(String label) {
		Locale locale = LocaleContextHolder.getLocale();
		if (label == null || label.isBlank() || BrowserLabel.UNKNOWN.equals(label)) {
			return this.messages.getMessage("browser.unknown", null, locale);
		}
		int on = label.lastIndexOf(BrowserLabel.ON);
		if (on < 0) {
			return label;
		}
		String browser = label.substring(0, on);
		String system = label.substring(on + BrowserLabel.ON.length());
		return this.messages.getMessage("browser.label",
				new Object[] {
						BrowserLabel.ANOTHER_BROWSER.equals(browser)
								? this.messages.getMessage("browser.another", null, locale) : browser,
						BrowserLabel.ANOTHER_SYSTEM.equals(system)
								? this.messages.getMessage("browser.anotherSystem", null, locale) : system },
				locale);
	}

}
