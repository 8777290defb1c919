package dev.totplogin.web;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;

/** The home page's reminders. */
@MockMvcAppTest
class HomePageTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Test
	void homeWhenTheAddressWaitsForConfirmationThenARemindWithALinkToTheEmailSection() throws Exception {
		Person person = new Person(this.mvc, this.clock).withEmail("waiting-home@example.com").signedUp();
		String home = person.get("/").andReturn().getResponse().getContentAsString();
		assertThat(home).contains("id=\"email-waiting\"")
			.contains("waiting-home@example.com is waiting for confirmation")
			.contains("href=\"/account#email\"");

		Person without = new Person(this.mvc, this.clock).signedUp();
		assertThat(without.get("/").andReturn().getResponse().getContentAsString()).doesNotContain("email-waiting");
	}

}
