package dev.totplogin.web;

import java.util.Locale;

import org.springframework.web.servlet.i18n.CookieLocaleResolver;

/**
 * Spring's cookie resolver, reading only the languages this application has. Whatever
 * else a cookie holds ({@code de%22}, {@code "><script>}, {@code tr}, a time zone) counts
 * as no cookie, so the page falls back to the browser's languages: Spring's own resolver
 * would answer such a cookie with an exception, a 500 on every URL until the cookie
 * expires, or with a {@code Content-Language} the pages are not written in.
 */
class SupportedLanguageResolver extends CookieLocaleResolver {

	SupportedLanguageResolver(String cookieName) {
		super(cookieName);
		// A time zone part that does not parse: ignored, never thrown.
		setRejectInvalidCookies(false);
	}

	@Override
	protected Locale parseLocaleValue(String value) {
		return LanguageConfiguration.supported(value);
	}

}
