package dev.totplogin.settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The account page's sessions list, and "confirm once, then act" (fresh proof for ten
 * minutes).
 */
@MockMvcAppTest
class SessionsAndConfirmOnceTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void sessionsWhenTwoBrowsersSignedInThenBothListedWithoutSessionIdsAndOneEndsTheOther() throws Exception {
		Person phone = new Person(this.mvc, this.clock).signedUp();
		Person laptop = phone.anotherBrowser().signedInAgain();
		String page = phone.get("/account").andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
		assertThat(page).contains("Where you").contains("This session");
		assertThat(page.split("class=\"[^\"]*session-entry").length - 1).isEqualTo(2);

		String laptopRef = refOtherThanCurrent(phone);
		phone.post("/account/sessions/" + laptopRef + "/end").andExpect(redirectedUrl("/account#confirm"));
		laptop.get("/").andExpect(status().isOk());

		this.clock.advance(Duration.ofSeconds(30));
		phone.post("/account/confirm", "code", phone.currentCode()).andExpect(redirectedUrl("/account#confirm"));
		phone.post("/account/sessions/" + laptopRef + "/end")
			.andExpect(redirectedUrl("/account#sessions"))
			.andExpect(flash().attribute("info", "account.sessionEnded"));
		laptop.get("/").andExpect(redirectedUrl("/login"));
		laptop.get("/account").andExpect(redirectedUrl("/login"));
		phone.get("/account").andExpect(status().isOk());
		assertThat(this.jdbc.queryForList("select event_type from security_event", String.class))
			.contains("SESSION_ENDED");
	}

	@Test
	void endWhenTheReferenceIsThisSessionOrAnotherAccountsThenNothingEnds() throws Exception {
		Person alice = new Person(this.mvc, this.clock).signedUp();
		Person mallory = new Person(this.mvc, this.clock).signedUp();
		String alicesRef = this.jdbc.queryForObject(
				"select s.id from signed_in_session s join account a on a.id = s.account_id where a.username = ?",
				String.class, alice.username());
		this.clock.advance(Duration.ofSeconds(30));
		mallory.post("/account/confirm", "code", mallory.currentCode());
		mallory.post("/account/sessions/" + alicesRef + "/end")
			.andExpect(flash().attribute("alert", "account.sessionGone"));
		alice.get("/").andExpect(status().isOk());

		this.clock.advance(Duration.ofSeconds(30));
		alice.post("/account/confirm", "code", alice.currentCode());
		alice.post("/account/sessions/" + alicesRef + "/end")
			.andExpect(flash().attribute("alert", "account.sessionGone"));
		alice.get("/").andExpect(status().isOk());
	}

	@Test
	void sessionsWhenSignedOutThenNoLongerListed() throws Exception {
		Person phone = new Person(this.mvc, this.clock).signedUp();
		Person laptop = phone.anotherBrowser().signedInAgain();
		laptop.post("/logout").andExpect(redirectedUrl("/login"));
		String page = phone.get("/account").andReturn().getResponse().getContentAsString();
		assertThat(page.split("class=\"[^\"]*session-entry").length - 1).isOne();
	}

	@Test
	void actionWhenACodeWasConfirmedLessThanTenMinutesAgoThenNoCodeNeededAndAfterwardsAgain() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		person.get("/account").andExpect(content().string(not(containsString("no code needed"))));
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/confirm", "code", person.currentCode()).andExpect(redirectedUrl("/account#confirm"));
		person.get("/account")
			.andExpect(content().string(containsString("Confirmed \u2014 no code needed until")))
			.andExpect(content().string(containsString("Leave it empty")));

		this.clock.advance(Duration.ofMinutes(9).plusSeconds(29));
		person.post("/account/recovery-codes", "code", "").andExpect(redirectedUrl("/recovery-codes"));

		this.clock.advance(Duration.ofSeconds(32));
		person.postRefused("/account/recovery-codes", "code", "")
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Enter the 6-digit code from your app.")));
		person.get("/account").andExpect(content().string(not(containsString("no code needed"))));
	}

	@Test
	void freshProofWhenACodeWasGivenInAnActionThenTheNextActionNeedsNoneButStillThePassword() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/recovery-codes", "code", person.currentCode())
			.andExpect(redirectedUrl("/recovery-codes"));
		person.postRefused("/account/authenticator", "currentPassword", "", "code", "")
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Enter your current password.")));
		person.postRefused("/account/authenticator", "currentPassword", "not my password", "code", "")
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("That isn")));
		person.post("/account/sessions", "code", "").andExpect(redirectedUrl("/account#sessions"));
	}

	@Test
	void freshProofWhenARecoveryCodeWasUsedThenItDoesNotCount() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		person
			.post("/account/authenticator", "currentPassword", TestAccounts.PASSWORD, "code",
					person.recoveryCodes().get(0))
			.andExpect(redirectedUrl("/account/authenticator"));
		person.postRefused("/account/sessions", "code", "")
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Enter the 6-digit code from your app.")));
	}

	@Test
	void freshProofWhenJustSignedInWithACodeOrAKeyThenStillAskedForOneWhichThenCountsTenMinutes() throws Exception {
		// A session cookie taken at the sign-in (a phishing proxy's) must not change
		// anything.
		Person person = new Person(this.mvc, this.clock).signedUp();
		Person again = person.anotherBrowser().signedInAgain();
		again.get("/account").andExpect(content().string(not(containsString("no code needed"))));
		again.postRefused("/account/sessions", "code", "")
			.andExpect(content().string(containsString("Enter the 6-digit code from your app.")));
		again.postRefused("/account/recovery-codes", "code", "")
			.andExpect(content().string(containsString("Enter the 6-digit code from your app.")));

		this.clock.advance(Duration.ofSeconds(30));
		again.post("/account/confirm", "code", again.currentCode()).andExpect(redirectedUrl("/account#confirm"));
		again.get("/account").andExpect(content().string(containsString("no code needed")));
		again.post("/account/sessions", "code", "").andExpect(redirectedUrl("/account#sessions"));
		again.get("/account").andExpect(content().string(containsString("Your other sessions have been signed out.")));
		again.afterFreshProofEnded();
		again.postRefused("/account/sessions", "code", "")
			.andExpect(content().string(containsString("Enter the 6-digit code from your app.")));
	}

	@Test
	void newPhoneWhenSignedInWithARecoveryCodeThenStillAsksForACodeOrAnotherRecoveryCode() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		Person withRecoveryCode = person.anotherBrowser();
		withRecoveryCode.signIn().andExpect(redirectedUrl("/verify-2fa"));
		withRecoveryCode.post("/verify-2fa/recovery", "recoveryCode", person.recoveryCodes().get(1))
			.andExpect(redirectedUrl("/"));
		withRecoveryCode.postRefused("/account/authenticator", "currentPassword", TestAccounts.PASSWORD, "code", "")
			.andExpect(content().string(containsString("Enter a code from your app, or a recovery code.")));
		withRecoveryCode
			.post("/account/authenticator", "currentPassword", TestAccounts.PASSWORD, "code",
					person.recoveryCodes().get(2))
			.andExpect(redirectedUrl("/account/authenticator"));
	}

	private String refOtherThanCurrent(Person person) throws Exception {
		String page = person.get("/account").andReturn().getResponse().getContentAsString();
		Matcher matcher = Pattern.compile("/account/sessions/([A-Za-z0-9_-]{22})/end").matcher(page);
		List<String> refs = new ArrayList<>();
		while (matcher.find()) {
			refs.add(matcher.group(1));
		}
		assertThat(refs).as("one End button: for the other session").hasSize(1);
		return refs.get(0);
	}

}
