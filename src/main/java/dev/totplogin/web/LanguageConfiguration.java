package dev.totplogin.web;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;

/**
 * The pages' language: English or German, from the {@code LANGUAGE} cookie that the
 * footer's switch sets, else the browser's {@code Accept-Language}, else English.
 */
@Configuration(proxyBeanMethods = false)
class LanguageConfiguration {

	static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.GERMAN);

	@Bean
	LocaleResolver localeResolver(Environment environment) {
		CookieLocaleResolver resolver = new CookieLocaleResolver("LANGUAGE");
		resolver.setCookieMaxAge(Duration.ofDays(365));
		resolver.setCookieHttpOnly(true);
		resolver.setCookieSecure(environment.acceptsProfiles(Profiles.of("prod")));
		resolver.setCookieSameSite("Lax");
		resolver.setDefaultLocaleFunction((request) -> {
			Locale wanted = Locale
				.lookup(Locale.LanguageRange.parse(acceptLanguage(request.getHeader("Accept-Language"))), SUPPORTED);
			return (wanted != null) ? wanted : Locale.ENGLISH;
		});
		return resolver;
	}

	/** A header that does not parse counts as none. */
	private static String acceptLanguage(String header) {
		if (header == null || header.isBlank()) {
			return "en";
		}
		try {
			Locale.LanguageRange.parse(header);
			return header;
		}
		catch (IllegalArgumentException ex) {
			return "en";
		}
	}

}
