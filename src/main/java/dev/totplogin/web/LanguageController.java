package dev.totplogin.web;

import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The footer's language switch: a small form (no script needed) that sets the language
 * cookie and returns to the page it was on, a path of this application only.
 */
@Controller
class LanguageController {

	/**
	 * A local path: no scheme, no host, no query, nothing a browser reads as elsewhere.
	 */
	private static final Pattern LOCAL_PATH = Pattern.compile("/([A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*)?");

	private final LocaleResolver localeResolver;

	LanguageController(LocaleResolver localeResolver) {
		this.localeResolver = localeResolver;
	}

	@PostMapping("/language")
	String change(@RequestParam(defaultValue = "en") String lang, @RequestParam(defaultValue = "/") String returnTo,
			HttpServletRequest request, HttpServletResponse response) {
		Locale chosen = LanguageConfiguration.supported(lang);
		if (chosen == null) {
			chosen = Locale.ENGLISH;
		}
		this.localeResolver.setLocale(request, response, chosen);
		return "redirect:" + (LOCAL_PATH.matcher(returnTo).matches() ? returnTo : "/");
	}

}
