package dev.totplogin.web;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The pages' language: English or German, from the {@code LANGUAGE} cookie that the
 * footer's switch sets ({@code __Host-LANGUAGE} in {@code prod}), else the browser's
 * {@code Accept-Language}, else English.
 */
@Configuration(proxyBeanMethods = false)
class LanguageConfiguration {

	static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.GERMAN);

	@Bean
	LocaleResolver localeResolver(Environment environment) {
		boolean prod = environment.acceptsProfiles(Profiles.of("prod"));
		// A __Host- cookie is Secure, for this host alone and its whole path: no sibling
		// subdomain can plant one.
		SupportedLanguageResolver resolver = new SupportedLanguageResolver(prod ? "__Host-LANGUAGE" : "LANGUAGE");
		resolver.setCookieMaxAge(Duration.ofDays(365));
		resolver.setCookieHttpOnly(true);
		resolver.setCookieSecure(prod);
		resolver.setCookiePath("/");
		resolver.setCookieSameSite("Lax");
		resolver.setDefaultLocaleFunction((request) -> {
			Locale wanted = Locale
				.lookup(Locale.LanguageRange.parse(acceptLanguage(request.getHeader("Accept-Language"))), SUPPORTED);
			return (wanted != null) ? wanted : Locale.ENGLISH;
		});
		return resolver;
	}

	/** The supported language of that name, if it is one. */
	static Locale supported(String language) {
		return SUPPORTED.stream().filter((locale) -> locale.getLanguage().equals(language)).findFirst().orElse(null);
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
