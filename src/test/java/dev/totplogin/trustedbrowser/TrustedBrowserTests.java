package dev.totplogin.trustedbrowser;

import java.time.Duration;
import java.util.List;

import jakarta.servlet.http.Cookie;

import dev.totplogin.crypto.Tokens;
import dev.totplogin.support.Mailbox;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.QrCodes;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * "Don't ask for a code on this browser": the whole life of a trusted browser, through
 * the real filter chain. Each revocation makes the code required again.
 */
@MockMvcAppTest
class TrustedBrowserTests {

	private static final String NEW_PASSWORD = "an entirely new passphrase";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void codeWhenTickedThenCookieSetAndTheNextSignInNeedsOnlyThePassword() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		MockHttpServletResponse response = trust(person);

		String header = response.getHeaders("Set-Cookie")
			.stream()
			.filter((h) -> h.startsWith("TRUSTED_BROWSER="))
			.findFirst()
			.orElseThrow();
		assertThat(header).contains("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=2592000").doesNotContain("Secure");
		String[] value = header.substring("TRUSTED_BROWSER=".length(), header.indexOf(';')).split("\\.");
		assertThat(this.jdbc.queryForObject("select secret_hash from trusted_browser where id = ?", String.class,
				value[0]))
			.as("only the secret's SHA-256 is stored")
			.isEqualTo(Tokens.sha256(value[1]));

		person.get("/").andExpect(status().isOk());
		assertThat(person.signInOnThisBrowser()).isEqualTo("/");
		person.get("/").andExpect(status().isOk());
		assertThat(events(person)).contains("BROWSER_TRUSTED", "TRUSTED_BROWSER_SIGN_IN");
	}

	@Test
	void trustedSignInWhenAnAccountActionFollowsThenItStillNeedsACode() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		trust(person);
		assertThat(person.signInOnThisBrowser()).isEqualTo("/");
		person.get("/account").andExpect(status().isOk()).andExpect(content().string(containsString("cf-code")));
		person.postRefused("/account/recovery-codes", "code", "")
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Enter the 6-digit code from your app.")));
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/recovery-codes", "code", person.currentCode())
			.andExpect(redirectedUrl("/recovery-codes"));
	}

	@Test
	void codeWhenNotTickedOrARecoveryCodeWasUsedThenNoCookie() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn();
		person.code(person.currentCode()).andExpect(redirectedUrl("/"));
		assertThat(person.cookie("TRUSTED_BROWSER")).isNull();

		person.signIn();
		person
			.perform(MockMvcRequestBuilders.post("/verify-2fa/recovery")
				.param("recoveryCode", person.recoveryCodes().get(0))
				.param("rememberBrowser", "true"))
			.andExpect(redirectedUrl("/"));
		assertThat(person.cookie("TRUSTED_BROWSER")).isNull();
		assertThat(trustedRows(person)).isZero();
		assertThat(person.signInOnThisBrowser()).as("the code page is shown").isNull();
	}

	@Test
	void cookieWhenCopiedToAnotherAccountsSignInThenItDoesNothingAndStaysForItsOwner() throws Exception {
		Person alice = new Person(this.mvc, this.clock).signedUp();
		trust(alice);
		Person bob = new Person(this.mvc, this.clock).signedUp();
		bob.putCookie(alice.cookie("TRUSTED_BROWSER"));
		assertThat(bob.signInOnThisBrowser()).as("bob still needs his code").isNull();
		assertThat(bob.cookie("TRUSTED_BROWSER")).as("alice's trust is left alone").isNotNull();
		assertThat(alice.signInOnThisBrowser()).isEqualTo("/");
	}

	@Test
	void cookieWhenTamperedOrExpiredThenRefusedAndDeleted() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		trust(person);
		Cookie genuine = person.cookie("TRUSTED_BROWSER");
		String[] parts = genuine.getValue().split("\\.");
		char last = parts[1].charAt(parts[1].length() - 1);
		String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 1) + ((last == 'A') ? 'B' : 'A');
		person.putCookie(new Cookie("TRUSTED_BROWSER", tampered));
		assertThat(person.signInOnThisBrowser()).isNull();
		assertThat(person.cookie("TRUSTED_BROWSER")).as("deleted").isNull();

		person.putCookie(new Cookie("TRUSTED_BROWSER", "not-a-cookie-of-ours"));
		assertThat(person.signInOnThisBrowser()).isNull();
		assertThat(person.cookie("TRUSTED_BROWSER")).isNull();

		person.putCookie(genuine);
		this.clock.advance(Duration.ofDays(30));
		assertThat(person.signInOnThisBrowser()).as("30 days after the tick").isNull();
		assertThat(person.cookie("TRUSTED_BROWSER")).isNull();
	}

	@Test
	void trustWhenPasswordChangedThenRevoked() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		trust(person);
		this.clock.advance(Duration.ofSeconds(30));
		person
			.post("/account/password", "currentPassword", TestAccounts.PASSWORD, "newPassword", NEW_PASSWORD,
					"confirmPassword", NEW_PASSWORD, "code", person.currentCode())
			.andExpect(redirectedUrl("/account#password"));
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn(NEW_PASSWORD).andExpect(redirectedUrl("/verify-2fa"));
		assertThat(person.get("/verify-2fa").andReturn().getResponse().getRedirectedUrl()).isNull();
		assertThat(trustedRows(person)).isZero();
	}

	@Test
	void trustWhenSignedOutEverywhereElseThenRevoked() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		trust(person);
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/sessions", "code", person.currentCode()).andExpect(redirectedUrl("/account#sessions"));
		assertThat(person.signInOnThisBrowser()).isNull();
	}

	@Test
	void trustWhenMovedToANewPhoneThenRevoked() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		trust(person);
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/authenticator", "currentPassword", TestAccounts.PASSWORD, "code", person.currentCode())
			.andExpect(redirectedUrl("/account/authenticator"));
		byte[] png = person.get("/account/authenticator/qr.png").andReturn().getResponse().getContentAsByteArray();
		String newSecret = QrCodes.secretOf(QrCodes.decode(png));
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/authenticator/confirm", "code", TestTotp.code(newSecret, this.clock.instant()))
			.andExpect(redirectedUrl("/account#new-phone"));
		assertThat(person.signInOnThisBrowser()).isNull();
	}

	@Test
	void trustWhenForgottenOnTheAccountPageThenRevokedAndTheCookieDeleted() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		trust(person);
		Person laptop = person.anotherBrowser();
		trust(laptop);
		String id = this.jdbc.queryForObject("select id from trusted_browser order by created_at limit 1",
				String.class);
		assertThat(trustedRows(person)).isEqualTo(2);

		person.post("/account/trusted-browsers/" + id + "/forget").andExpect(redirectedUrl("/account#confirm"));
		assertThat(trustedRows(person)).as("not without fresh proof").isEqualTo(2);

		confirm(person);
		person.get("/account")
			.andExpect(content().string(containsString("Trusted browsers")))
			.andExpect(content().string(containsString("This browser")));
		person.post("/account/trusted-browsers/" + id + "/forget")
			.andExpect(redirectedUrl("/account#trusted-browsers"));
		assertThat(person.cookie("TRUSTED_BROWSER")).as("this browser's own cookie").isNull();
		assertThat(person.signInOnThisBrowser()).isNull();
		assertThat(laptop.signInOnThisBrowser()).as("the other browser stays trusted").isEqualTo("/");

		confirm(laptop);
		laptop.post("/account/trusted-browsers/forget-all").andExpect(redirectedUrl("/account#trusted-browsers"));
		assertThat(trustedRows(person)).isZero();
		assertThat(laptop.signInOnThisBrowser()).isNull();
		assertThat(events(person)).contains("TRUSTED_BROWSERS_FORGOTTEN");
	}

	@Test
	void forgetWhenTheIdIsAnotherAccountsThenNothingChanges() throws Exception {
		Person alice = new Person(this.mvc, this.clock).signedUp();
		trust(alice);
		Person mallory = new Person(this.mvc, this.clock).signedUp();
		confirm(mallory);
		String id = alice.cookie("TRUSTED_BROWSER").getValue().split("\\.")[0];
		mallory.post("/account/trusted-browsers/" + id + "/forget")
			.andExpect(redirectedUrl("/account#trusted-browsers"));
		assertThat(trustedRows(alice)).isOne();
	}

	@Test
	void trustWhenTickedThenTheOwnerIsToldByMail() throws Exception {
		Person person = new Person(this.mvc, this.clock).withEmail("trusting@example.com").signedUp();
		Mailbox mailbox = new Mailbox(this.jdbc);
		String link = Mailbox.linkIn(mailbox.awaitMessage(person.email(), 1));
		person.get(Mailbox.pathOf(link)).andExpect(status().isOk());
		person.post("/email/verify", "token", link.substring(link.indexOf("token=") + 6));
		trust(person);
		assertThat(mailbox.awaitMessage(person.email(), 2)).contains("A browser was trusted for your account")
			.doesNotContain(person.cookie("TRUSTED_BROWSER").getValue());
	}

	@Test
	void freshProofWhenTheSessionThenSignsInAsAnotherAccountOnItsTrustedBrowserThenNotCarriedOver() throws Exception {
		Person bob = new Person(this.mvc, this.clock).signedUp();
		trust(bob);
		Person mallory = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		mallory.post("/account/confirm", "code", mallory.currentCode()).andExpect(redirectedUrl("/account#confirm"));
		mallory.get("/account").andExpect(content().string(containsString("no code needed until")));
		mallory.putCookie(bob.cookie("TRUSTED_BROWSER"));

		// Same session: the password step again, for another account.
		mallory.post("/login", "username", bob.username(), "password", TestAccounts.PASSWORD)
			.andExpect(redirectedUrl("/verify-2fa"));
		mallory.get("/verify-2fa").andExpect(redirectedUrl("/"));
		mallory.postRefused("/account/recovery-codes", "code", "")
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Enter the 6-digit code from your app.")));
		assertThat(events(bob)).filteredOn("RECOVERY_CODES_REGENERATED"::equals)
			.as("only the first set, made at enrollment")
			.hasSize(1);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from signed_in_session s join account a on a.id = s.account_id where a.username = ?",
				Integer.class, mallory.username()))
			.as("the earlier sign-in of the session is no longer listed")
			.isZero();
	}

	@Test
	void rememberWhenTheBrowserHoldsAPlantedCookieWithAnotherAccountsIdThenThatTrustStays() throws Exception {
		Person alice = new Person(this.mvc, this.clock).signedUp();
		trust(alice);
		String alicesId = alice.cookie("TRUSTED_BROWSER").getValue().split("\\.")[0];
		Person mallory = new Person(this.mvc, this.clock).signedUp();
		mallory.putCookie(new Cookie("TRUSTED_BROWSER", alicesId + "." + "A".repeat(43)));
		trust(mallory);
		assertThat(trustedRows(alice)).isOne();
		assertThat(alice.signInOnThisBrowser()).isEqualTo("/");
	}

	@Test
	void trustWhenTheSessionOnItIsEndedFromTheAccountPageThenForgottenToo() throws Exception {
		Person phone = new Person(this.mvc, this.clock).signedUp();
		Person intruder = phone.anotherBrowser();
		trust(intruder);
		confirm(phone);
		String ref = this.jdbc.queryForObject("select id from signed_in_session where trusted_browser_id = ?",
				String.class, intruder.cookie("TRUSTED_BROWSER").getValue().split("\\.")[0]);
		phone.post("/account/sessions/" + ref + "/end").andExpect(redirectedUrl("/account#sessions"));
		intruder.get("/").andExpect(redirectedUrl("/login"));
		assertThat(intruder.signInOnThisBrowser()).as("back with the password alone? no").isNull();
		assertThat(events(phone)).contains("SESSION_ENDED", "TRUSTED_BROWSERS_FORGOTTEN");
	}

	@Test
	void trustWhenNewRecoveryCodesAreMadeThenRevoked() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		trust(person);
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/recovery-codes", "code", person.currentCode())
			.andExpect(redirectedUrl("/recovery-codes"));
		assertThat(person.signInOnThisBrowser()).isNull();
	}

	/** Signs in with a code, the box ticked. */
	private MockHttpServletResponse trust(Person person) throws Exception {
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		return person
			.perform(MockMvcRequestBuilders.post("/verify-2fa")
				.param("code", person.currentCode())
				.param("rememberBrowser", "true"))
			.andExpect(redirectedUrl("/"))
			.andReturn()
			.getResponse();
	}

	private void confirm(Person person) throws Exception {
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/confirm", "code", person.currentCode()).andExpect(redirectedUrl("/account#confirm"));
	}

	private int trustedRows(Person person) {
		return this.jdbc.queryForObject(
				"select count(*) from trusted_browser t join account a on a.id = t.account_id where a.username = ?",
				Integer.class, person.username());
	}

	private List<String> events(Person person) {
		return TestAccounts.eventsOf(this.jdbc, person.username());
	}

}
