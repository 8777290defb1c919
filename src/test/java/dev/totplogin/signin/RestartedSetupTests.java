package dev.totplogin.signin;

import java.time.Duration;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.QrCodes;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A setup interrupted by signing out and started again (issue 27, point 8): the new
 * session gets a new key (a key belongs to the session that was shown it), the page says
 * so, and a code of the key shown before is named for what it is, never as a clock
 * problem, and never enrolls.
 */
@MockMvcAppTest
class RestartedSetupTests {

	private static final String EARLIER_KEY_CODE = "That code is from the key shown before you signed out. "
			+ "This is a new key: delete the earlier TOTP Login entry in your app and scan this one.";

	private static final String NEW_KEY = "This is a new key: a key shown earlier (before you signed out, or in another browser) no longer works.";

	private static final String CLOCK_HINT = "time is set automatically";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void enrollmentWhenSignedOutAndInAgainThenTheNewKeyIsSaidAndACodeOfTheEarlierKeyIsNamed() throws Exception {
		Person person = new Person(this.mvc, this.clock).register();
		assertThat(page(person, "/setup-2fa")).as("a first setup has nothing to say about keys")
			.doesNotContain(NEW_KEY)
			.doesNotContain("id=\"new-key\"");
		String scanned = secretShownTo(person, "/setup-2fa/qr.png");
		person.post("/logout").andExpect(redirectedUrl("/login"));

		this.clock.advance(Duration.ofMinutes(2));
		person.signIn().andExpect(redirectedUrl("/setup-2fa"));
		assertThat(page(person, "/setup-2fa")).contains("id=\"new-key\"")
			.contains(NEW_KEY)
			.contains("delete that TOTP Login entry in your app");
		String shownNow = secretShownTo(person, "/setup-2fa/qr.png");
		assertThat(shownNow).isNotEqualTo(scanned);

		String refused = person.post("/setup-2fa", "code", TestTotp.code(scanned, this.clock.instant()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(refused).contains(EARLIER_KEY_CODE.replace("'", "&#39;")).doesNotContain(CLOCK_HINT);
		assertThat(
				this.jdbc.queryForObject("select count(*) from account where username = ? and totp_secret is not null",
						Integer.class, person.username()))
			.as("the earlier key never enrolls")
			.isZero();

		person.post("/setup-2fa", "code", TestTotp.code(shownNow, this.clock.instant()))
			.andExpect(redirectedUrl("/recovery-codes"));
	}

	@Test
	void enrollmentWhenTheEarlierKeyIsOlderThanTenMinutesThenNoNoticeAndItsCodeIsJustWrong() throws Exception {
		Person person = new Person(this.mvc, this.clock).register();
		String scanned = secretShownTo(person, "/setup-2fa/qr.png");
		person.post("/logout").andExpect(redirectedUrl("/login"));

		this.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
		person.signIn().andExpect(redirectedUrl("/setup-2fa"));
		assertThat(page(person, "/setup-2fa")).doesNotContain("id=\"new-key\"");
		assertThat(person.post("/setup-2fa", "code", TestTotp.code(scanned, this.clock.instant()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString()).doesNotContain("That code is from the key shown before");
	}

	@Test
	void newPhoneWhenSignedOutAndStartedAgainThenTheNewKeyIsSaidAndACodeOfTheEarlierKeyIsNamedAndCounted()
			throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		startNewPhone(person);
		assertThat(page(person, "/account/authenticator")).doesNotContain("id=\"new-key\"");
		String scanned = secretShownTo(person, "/account/authenticator/qr.png");
		person.post("/logout").andExpect(redirectedUrl("/login"));

		person.signedInAgain();
		startNewPhone(person);
		assertThat(page(person, "/account/authenticator")).contains("id=\"new-key\"")
			.contains("delete that TOTP Login entry on your new phone (not the one on your current phone)");
		String shownNow = secretShownTo(person, "/account/authenticator/qr.png");

		String refused = person
			.post("/account/authenticator/confirm", "code", TestTotp.code(scanned, this.clock.instant()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(refused)
			.contains("That code is from the key shown before you signed out. This is a new key: "
					+ "delete the earlier TOTP Login entry on your new phone")
			.doesNotContain(CLOCK_HINT);
		assertThat(this.jdbc.queryForList(
				"select e.detail from security_event e join account a on a.id = e.account_id where a.username = ? "
						+ "and e.event_type = 'CODE_FAILED'",
				String.class, person.username()))
			.as("a wrong code for the new key: counted in the lockout, as every wrong code at this step")
			.containsExactly("new-phone step");

		person.post("/account/authenticator/confirm", "code", TestTotp.code(shownNow, this.clock.instant()))
			.andExpect(redirectedUrl("/account#new-phone"));
		this.clock.advance(Duration.ofSeconds(30));
		Person later = person.anotherBrowser();
		later.signIn().andExpect(redirectedUrl("/verify-2fa"));
		later.code(TestTotp.code(shownNow, this.clock.instant())).andExpect(redirectedUrl("/"));
	}

	/**
	 * Fresh proof on the account page, which sends the person to the new phone's page.
	 */
	private void startNewPhone(Person person) throws Exception {
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/authenticator", "currentPassword", TestAccounts.PASSWORD, "code", person.currentCode())
			.andExpect(redirectedUrl("/account/authenticator"));
	}

	private String page(Person person, String path) throws Exception {
		return person.get(path).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
	}

	private String secretShownTo(Person person, String qrPath) throws Exception {
		return QrCodes.secretOf(QrCodes
			.decode(person.get(qrPath).andExpect(status().isOk()).andReturn().getResponse().getContentAsByteArray()));
	}

}
