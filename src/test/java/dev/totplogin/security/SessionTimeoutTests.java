package dev.totplogin.security;

import java.time.Duration;
import java.util.List;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The idle timeout, the absolute limit and the trusted browser's place between them
 * (issue 30, NIST SP 800-63B-4), on the test clock, through the real filter chain; and
 * each session's assurance level where it is shown and recorded.
 */
@MockMvcAppTest
class SessionTimeoutTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private AccountSessions sessions;

	@Test
	void idleWhenJustUnderThirtyMinutesThenStillSignedInAndJustOverThenSignedOutWithWhy() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofMinutes(29).plusSeconds(59));
		person.get("/").andExpect(status().isOk());
		this.clock.advance(Duration.ofMinutes(30).plusSeconds(1));
		MockHttpSession idle = person.session();
		MvcResult ended = person.get("/").andExpect(redirectedUrl("/login")).andReturn();

		assertThat(idle.isInvalid()).as("the session is ended, not only refused").isTrue();
		assertThat(rowsOf(person)).as("its signed-in row is gone").isZero();
		assertThat(detailsOf(person, "SESSION_TIMED_OUT")).containsExactly("idle 30m");
		assertThat(loginPage(ended, "en")).contains("You were signed out after 30 minutes without activity.");
		this.mvc.perform(get("/").session(idle)).andExpect(redirectedUrl("/login"));
	}

	@Test
	void sweepWhenASessionWasIdlePastTheTimeoutThenItsRowGoesAndAnActiveOneStays() throws Exception {
		Person idle = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofMinutes(20));
		Person active = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofMinutes(11).plusSeconds(1));
		assertThat(rowsOf(idle)).as("left to the sweep, not cleared at the next sign-in").isOne();

		assertThat(this.sessions.clearEnded()).isPositive();
		assertThat(rowsOf(idle)).isZero();
		assertThat(rowsOf(active)).isOne();
		active.get("/").andExpect(status().isOk());
	}

	@Test
	void absoluteWhenActiveForTwelveHoursThenSignedOutWithWhy() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		for (int i = 0; i < 24; i++) {
			this.clock.advance(Duration.ofMinutes(29).plusSeconds(59));
			person.get("/").andExpect(status().isOk());
		}
		this.clock.advance(Duration.ofMinutes(1));
		MvcResult ended = person.get("/").andExpect(redirectedUrl("/login")).andReturn();
		assertThat(loginPage(ended, "de")).contains("Sie wurden abgemeldet: Eine Anmeldung gilt höchstens 12 Stunden.");
		assertThat(detailsOf(person, "SESSION_TIMED_OUT")).containsExactly("absolute 12h");
	}

	@Test
	void trustedBrowserWhenIdleTimedOutThenPasswordOnlyAtAal1AndTheLimitCountsFromTheCode() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		trust(person);
		assertThat(sessionsSection(person)).contains("Signed in with password and authenticator code · AAL2");
		this.clock.advance(Duration.ofMinutes(31));
		assertThat(loginPage(person.get("/").andReturn(), "en")).contains("after 30 minutes without activity");

		assertThat(person.signInOnThisBrowser()).as("the code is skipped").isEqualTo("/");
		assertThat(sessionsSection(person)).contains("Signed in with password on a trusted browser · AAL1")
			.doesNotContain("AAL2");
		assertThat(detailsOf(person, "SIGNED_IN")).containsExactly("aal2 pwd otp mfa", "aal2 pwd otp mfa", "aal1 pwd");

		// Active on that sign-in until 12 hours after the code (not after this sign-in).
		for (int i = 0; i < 23; i++) {
			this.clock.advance(Duration.ofMinutes(29));
			person.get("/").andExpect(status().isOk());
		}
		this.clock.advance(Duration.ofMinutes(30));
		assertThat(loginPage(person.get("/").andReturn(), "en")).contains("a sign-in lasts 12 hours at most");
	}

	@Test
	void trustedBrowserWhenSignedOutThereThenTheCodeIsAskedUntilTheNextCode() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		trust(person);
		person.post("/logout").andExpect(redirectedUrl("/login"));
		assertThat(person.signInOnThisBrowser()).as("a sign-out is not inactivity: the code is asked").isNull();
		assertThat(person.cookie("TRUSTED_BROWSER")).as("the browser stays trusted").isNotNull();
		person.code(person.currentCode()).andExpect(redirectedUrl("/"));

		this.clock.advance(Duration.ofMinutes(31));
		assertThat(loginPage(person.get("/").andReturn(), "en")).contains("after 30 minutes without activity");
		assertThat(person.signInOnThisBrowser()).as("after inactivity, the code is skipped again").isEqualTo("/");
	}

	@Test
	void trustedBrowserWhenTheLastCodeThereIsOlderThanTheAbsoluteLimitThenTheCodeIsAskedAndRenewsIt() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		trust(person);
		this.clock.advance(Duration.ofHours(11).plusMinutes(58));
		assertThat(person.signInOnThisBrowser()).as("within 12 hours of the code: skipped").isEqualTo("/");
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(person.signInOnThisBrowser()).as("12 hours after the code: asked").isNull();
		assertThat(person.cookie("TRUSTED_BROWSER")).as("the browser stays trusted").isNotNull();

		person.code(person.currentCode()).andExpect(redirectedUrl("/"));
		assertThat(sessionsSection(person)).contains("Signed in with password and authenticator code · AAL2");
		this.clock.advance(Duration.ofHours(11));
		assertThat(person.signInOnThisBrowser()).as("the code renewed the browser's time").isEqualTo("/");
	}

	@Test
	void sessionsListWhenSignedInSeveralWaysThenEachWithItsLevel() throws Exception {
		Person laptop = new Person(this.mvc, this.clock).signedUp();
		trust(laptop);
		Person phone = laptop.anotherBrowser();
		this.clock.advance(Duration.ofSeconds(30));
		phone.signIn();
		phone
			.perform(MockMvcRequestBuilders.post("/verify-2fa/recovery")
				.param("recoveryCode", phone.recoveryCodes().get(0)))
			.andExpect(redirectedUrl("/"));
		assertThat(laptop.signInOnThisBrowser()).isEqualTo("/");

		String sessions = sessionsSection(phone);
		assertThat(sessions).contains("Signed in with password and recovery code · AAL2")
			.contains("Signed in with password on a trusted browser · AAL1");
		assertThat(this.jdbc.queryForList(
				"select s.assurance || ' ' || s.factors from signed_in_session s join account a on a.id = s.account_id "
						+ "where a.username = ? order by s.signed_in_at",
				String.class, laptop.username()))
			.as("the sessions of sign-up, of trusting the laptop, of the phone, of the laptop again")
			.containsExactly("aal2 FACTOR_PASSWORD FACTOR_TOTP", "aal2 FACTOR_PASSWORD FACTOR_TOTP",
					"aal2 FACTOR_PASSWORD FACTOR_RECOVERY_CODE", "aal1 FACTOR_PASSWORD FACTOR_TRUSTED_BROWSER");
		String german = this.mvc.perform(get("/account").session(phone.session()).header("Accept-Language", "de"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(german).contains("Angemeldet mit Passwort in einem vertrauenswürdigen Browser · AAL1");
	}

	private void trust(Person person) throws Exception {
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		person.post("/verify-2fa", "code", person.currentCode(), "rememberBrowser", "true")
			.andExpect(redirectedUrl("/"));
	}

	/**
	 * Where the browser is sent after its session ended: the sign-in page, in the new
	 * session that carries the message (the old one is gone).
	 */
	private String loginPage(MvcResult ended, String language) throws Exception {
		MockHttpSession next = (MockHttpSession) ended.getRequest().getSession(false);
		assertThat(next).as("a new session for the message").isNotNull();
		return this.mvc.perform(get("/login").session(next).header("Accept-Language", language))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	private String sessionsSection(Person person) throws Exception {
		String page = person.get("/account").andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
		int start = page.indexOf("id=\"session-list\"");
		return page.substring(start, page.indexOf("</ul>", start));
	}

	private int rowsOf(Person person) {
		return this.jdbc.queryForObject(
				"select count(*) from signed_in_session s join account a on a.id = s.account_id where a.username = ?",
				Integer.class, person.username());
	}

	private List<String> detailsOf(Person person, String type) {
		return this.jdbc.queryForList(
				"select e.detail from security_event e join account a on a.id = e.account_id "
						+ "where a.username = ? and e.event_type = ? order by e.id",
				String.class, person.username(), type);
	}

}
