package dev.totplogin.mail;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code app.mail.enabled=false}: no address field, no "Forgot password?", no mail routes
 * at all.
 */
@MockMvcAppTest
@TestPropertySource(properties = "app.mail.enabled=false")
class MailDisabledTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Test
	void pagesWhenMailIsOffThenOfferNothingOfIt() throws Exception {
		this.mvc.perform(get("/login")).andExpect(content().string(not(containsString("forgot-password"))));
		this.mvc.perform(get("/register")).andExpect(content().string(not(containsString("name=\"email\""))));
		this.mvc.perform(post("/password/forgot").param("email", "a@example.com").with(csrf()))
			.andExpect(status().isNotFound());
		this.mvc.perform(get("/password/reset").param("token", "x")).andExpect(status().isNotFound());
		this.mvc.perform(post("/email/verify").param("token", "x").with(csrf())).andExpect(status().isNotFound());
		Person person = new Person(this.mvc, this.clock).signedUp();
		person.get("/account")
			.andExpect(status().isOk())
			.andExpect(content().string(not(containsString("id=\"email\""))));
	}

}
