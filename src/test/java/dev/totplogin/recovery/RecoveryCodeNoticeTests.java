package dev.totplogin.recovery;

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
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

/**
 * NIST SP 800-63B-4: after a recovery code signs someone in, they are told how many codes
 * are left and offered new ones, on the page they land on and by mail.
 */
@MockMvcAppTest
class RecoveryCodeNoticeTests {

	private static int people;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void signInWhenWithARecoveryCodeThenHomeSaysHowManyAreLeftAndOffersNewOnesAndTheMailSaysSoToo() throws Exception {
		Person person = verified(new Person(this.mvc, this.clock).withEmail(address()).signedUp());
		String used = person.recoveryCodes().get(0);
		person.signIn();
		person.post("/verify-2fa/recovery", "recoveryCode", used).andExpect(redirectedUrl("/"));

		String home = page(person, "/");
		assertThat(notice(home)).contains("You signed in with a recovery code, which no longer works.")
			.contains("You have 9 recovery codes left.")
			.contains("id=\"get-new-codes\" href=\"/account#recovery-codes\"")
			.contains(">Get new recovery codes<")
			.doesNotContain("continue-after-recovery");
		assertThat(page(person, "/")).as("the notice once, after the sign-in").doesNotContain("recovery-code-used");

		String mail = new Mailbox(this.jdbc).awaitMessage(person.email(), 2);
		assertThat(mail).contains("9 recovery codes are left.")
			.contains("To get new ones, open your account security page (link below) and choose "
					+ "\u201cMake new recovery codes\u201d.")
			.contains("/account")
			.doesNotContain(used)
			.doesNotContain(used.replace("-", ""));

		// The offer leads to the account page's own regeneration, with its code.
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/recovery-codes", "code", person.currentCode())
			.andExpect(redirectedUrl("/recovery-codes"));
		assertThat(page(person, "/recovery-codes")).contains("id=\"recovery-codes\"");
	}

	@Test
	void signInWhenWithTheLastRecoveryCodeThenHomeAndMailSayNoneAreLeftAndPushForNewOnes() throws Exception {
		Person person = verified(new Person(this.mvc, this.clock).withEmail(address()).signedUp());
		for (String code : person.recoveryCodes()) {
			person.signIn();
			person.post("/verify-2fa/recovery", "recoveryCode", code).andExpect(redirectedUrl("/"));
		}
		assertThat(notice(page(person, "/")))
			.contains("You signed in with your last recovery code: none are left. Get new ones now, "
					+ "or a lost phone will lock you out of your account.")
			.contains("alert-danger")
			.contains("id=\"get-new-codes\" href=\"/account#recovery-codes\"");
		// The verification link, then one notice per code.
		assertThat(new Mailbox(this.jdbc).awaitMessage(person.email(), 11))
			.contains("No recovery codes are left: make new ones now, or a lost phone will lock you out.")
			.contains("Make new recovery codes");
	}

	@Test
	void signInWhenARecoveryCodeEndsASignInForAnotherPageThenHomeFirstWithALinkOnToIt() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		Person elsewhere = person.anotherBrowser();
		elsewhere.get("/account/events").andExpect(redirectedUrl("/login"));
		elsewhere.signIn().andExpect(redirectedUrl("/verify-2fa"));
		elsewhere.post("/verify-2fa/recovery", "recoveryCode", person.recoveryCodes().get(0))
			.andExpect(redirectedUrl("/"));
		assertThat(notice(page(elsewhere, "/"))).contains("id=\"continue-after-recovery\" href=\"/account/events\"");
	}

	@Test
	void signInWhenWithACodeFromTheAppThenNoRecoveryCodeNotice() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		person.signedInAgain();
		assertThat(page(person, "/")).doesNotContain("recovery-code-used");
	}

	private static String page(Person person, String path) throws Exception {
		return person.get(path).andReturn().getResponse().getContentAsString();
	}

	/** The notice on the home page, or fails. */
	private static String notice(String home) {
		int id = home.indexOf("id=\"recovery-code-used\"");
		assertThat(id).as("the recovery-code notice on the page").isNotNegative();
		int start = home.lastIndexOf("<div", id);
		return home.substring(start, home.indexOf("</section>", start));
	}

	private Person verified(Person person) throws Exception {
		String link = linkIn(new Mailbox(this.jdbc).awaitMessage(person.email(), 1));
		person.post("/email/verify", "token", link.substring(link.indexOf("token=") + 6))
			.andExpect(flash().attribute("info", "email.verify.done"));
		return person;
	}

	private static String address() {
		return "notice" + (++people) + "-" + Long.toHexString(System.nanoTime() & 0xffffff) + "@example.com";
	}

}
