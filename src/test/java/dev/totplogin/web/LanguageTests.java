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
