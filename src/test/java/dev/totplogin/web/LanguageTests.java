package dev.totplogin.web;

import jakarta.servlet.http.Cookie;

import dev.totplogin.support.MockMvcAppTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.cookie;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** English or German: from the browser's languages, or the footer's switch. */
@MockMvcAppTest
class LanguageTests {

	@Autowired
	private MockMvc mvc;

	@Test
	void pageWhenTheBrowserPrefersGermanThenGerman() throws Exception {
		this.mvc.perform(get("/login").header("Accept-Language", "de-CH, de;q=0.9, en;q=0.5"))
			.andExpect(content().string(containsString("<html lang=\"de\"")))
			.andExpect(content().string(containsString("Anmelden")));
	}

	@Test
	void pageWhenTheBrowserAsksForAnotherLanguageOrNoneOrNonsenseThenEnglish() throws Exception {
		for (String header : new String[] { "fr-FR, fr;q=0.9", "", "%%;q=x" }) {
			this.mvc.perform(get("/login").header("Accept-Language", header))
				.andExpect(content().string(containsString("<html lang=\"en\"")))
				.andExpect(content().string(containsString("Sign in")));
		}
	}

	@Test
	void switchWhenGermanChosenThenCookieAndBackToThePage() throws Exception {
		this.mvc.perform(post("/language").param("lang", "de").param("returnTo", "/register").with(csrf()))
			.andExpect(redirectedUrl("/register"))
			.andExpect(cookie().value("LANGUAGE", "de"))
			.andExpect(cookie().httpOnly("LANGUAGE", true));
		this.mvc.perform(get("/register").cookie(new Cookie("LANGUAGE", "de")))
			.andExpect(content().string(containsString("Konto erstellen")));
	}

	/**
	 * Issue 27, finding 3: a planted cookie Spring's resolver cannot parse answered 500
	 * on every URL, static files and the switch that would repair it included.
	 */
	@Test
	void pageWhenTheLanguageCookieIsMalformedThenTheBrowsersLanguageAndNoError() throws Exception {
		for (String planted : new String[] { "de%22", "\"><script>", "de/Nowhere", "de_DE#x!", "\u0000" }) {
			Cookie cookie = new Cookie("LANGUAGE", planted);
			this.mvc.perform(get("/login").cookie(cookie).header("Accept-Language", "de"))
				.andExpect(status().isOk())
				.andExpect(header().string("Content-Language", "de"))
				.andExpect(content().string(containsString("<html lang=\"de\"")));
			this.mvc.perform(get("/assets/app.css").cookie(cookie)).andExpect(status().isOk());
			this.mvc.perform(get("/register").cookie(cookie)).andExpect(status().isOk());
			this.mvc
				.perform(post("/language").param("lang", "de").param("returnTo", "/login").cookie(cookie).with(csrf()))
				.andExpect(redirectedUrl("/login"))
				.andExpect(cookie().value("LANGUAGE", "de"));
		}
	}

	@Test
	void pageWhenTheLanguageCookieNamesAnUnsupportedLanguageThenTheDefaultNotThatLanguage() throws Exception {
		for (String other : new String[] { "tr", "fr_FR", "de-x-evil", "" }) {
			this.mvc.perform(get("/login").cookie(new Cookie("LANGUAGE", other)))
				.andExpect(status().isOk())
				.andExpect(header().string("Content-Language", "en"))
				.andExpect(content().string(containsString("<html lang=\"en\"")));
		}
	}

	@Test
	void switchWhenReturnToIsElsewhereThenHome() throws Exception {
		for (String elsewhere : new String[] { "//evil.example/", "https://evil.example/", "/\\evil.example",
				"/login?x=1", "javascript:alert(1)" }) {
			this.mvc.perform(post("/language").param("lang", "de").param("returnTo", elsewhere).with(csrf()))
				.andExpect(redirectedUrl("/"));
		}
	}

	@Test
	void switchWhenWithoutCsrfTokenThenForbidden() throws Exception {
		this.mvc.perform(post("/language").param("lang", "de")).andExpect(status().isForbidden());
	}

}
