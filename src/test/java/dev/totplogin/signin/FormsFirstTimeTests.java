package dev.totplogin.signin;

import java.time.Duration;

import dev.totplogin.support.Mailbox;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static dev.totplogin.support.Mailbox.linkIn;
import static dev.totplogin.support.Mailbox.pathOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * What a first-time user sees on the sign-in forms when they leave them empty or get
 * locked out: one clear message per field, and words that fit the page.
 */
@MockMvcAppTest
class FormsFirstTimeTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void loginWhenEmptyThenAskedToEnterBothNotToldTheyDoNotMatch() throws Exception {
		Person visitor = new Person(this.mvc, this.clock);
		visitor.post("/login", "username", "", "password", "").andExpect(redirectedUrl("/login"));
		assertThat(loginPage(visitor)).contains("Enter your username and password.").doesNotContain("match an account");
		visitor.post("/login", "username", "someone", "password", "").andExpect(redirectedUrl("/login"));
		assertThat(loginPage(visitor)).contains("Enter your username and password.");
		visitor.post("/login", "username", "nobody-here", "password", "a wrong password")
			.andExpect(redirectedUrl("/login"));
		assertThat(loginPage(visitor)).contains("match an account");
	}

	private static String loginPage(Person visitor) throws Exception {
		return visitor.get("/login").andReturn().getResponse().getContentAsString().replace("&#39;", "'");
	}

	@Test
	void forgotWhenEmptyThenOneMessageForTheOneField() throws Exception {
		Person visitor = new Person(this.mvc, this.clock);
		String page = visitor.post("/password/forgot", "email", "")
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("Enter an email address.").doesNotContain("like name@example.com");
		String malformed = visitor.post("/password/forgot", "email", "not-an-address")
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(malformed).contains("like name@example.com");
	}

	@Test
	void resetWhenSentEmptyThenTheCodeFieldIsMarkedTooAndNothingChanges() throws Exception {
		Person owner = new Person(this.mvc, this.clock).withEmail("empty-reset@example.com").signedUp();
		Mailbox mailbox = new Mailbox(this.jdbc);
		String verify = linkIn(mailbox.awaitMessage(owner.email(), 1));
		owner.post("/email/verify", "token", verify.substring(verify.indexOf("token=") + 6));
		Person browser = owner.anotherBrowser();
		browser.post("/password/forgot", "email", owner.email()).andExpect(redirectedUrl("/password/forgot"));
		browser.get(pathOf(linkIn(mailbox.awaitMessage(owner.email(), 2))));
		String page = browser.post("/password/reset", "code", "", "newPassword", "", "confirmPassword", "")
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("id=\"code-error\"")
			.contains("Enter a code from your app, or a recovery code.")
			.contains("id=\"newPassword-error\"");
		assertThat(page).containsPattern("id=\"code\"[^>]*is-invalid|is-invalid[^>]*id=\"code\"");
	}

	@Test
	void recoveryPageWhenLockedThenTheMessageAsksForARecoveryCodeNotTheNewestCode() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn();
		String page = "";
		for (int i = 0; i < 5; i++) {
			page = person.post("/verify-2fa/recovery", "recoveryCode", "aaaaa-aaaaa")
				.andReturn()
				.getResponse()
				.getContentAsString();
		}
		assertThat(page).contains("Too many wrong codes")
			.contains("recovery codes that you haven&#39;t used yet")
			.doesNotContain("newest code");
		assertThat(person.get("/verify-2fa/recovery").andReturn().getResponse().getContentAsString())
			.as("shown before anything is typed")
			.contains("recovery codes that you haven&#39;t used yet");
	}

}
