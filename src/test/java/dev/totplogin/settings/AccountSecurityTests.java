package dev.totplogin.settings;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.TestAccounts;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.QrCodes;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The account security page: each action works with fresh proof, and does nothing without
 * it.
 */
@MockMvcAppTest
class AccountSecurityTests {

	private static final String NEW_PASSWORD = "an entirely new passphrase";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void changePasswordWhenCurrentPasswordAndCodeGivenThenOnlyTheNewPasswordWorks() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person
			.post("/account/password", "currentPassword", TestAccounts.PASSWORD, "newPassword", NEW_PASSWORD,
					"confirmPassword", NEW_PASSWORD, "code", person.currentCode())
			.andExpect(redirectedUrl("/account#password"));
		person.signIn().andExpect(redirectedUrl("/login"));
		person.signIn(NEW_PASSWORD).andExpect(redirectedUrl("/verify-2fa"));
		assertThat(events(person)).contains("PASSWORD_CHANGED");
	}

	@Test
	void changePasswordWhenTheFormOrTheCurrentPasswordIsWrongThenItsCodeIsNeitherCheckedNorCounted() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		int before = events(person).size();
		person
			.postRefused("/account/password", "currentPassword", TestAccounts.PASSWORD, "newPassword", NEW_PASSWORD,
					"confirmPassword", NEW_PASSWORD + " typo", "code", person.wrongCode())
			.andExpect(content().string(not(containsString("That code didn"))));
		person
			.postRefused("/account/password", "currentPassword", "not my password", "newPassword", NEW_PASSWORD,
					"confirmPassword", NEW_PASSWORD, "code", person.currentCode())
			.andExpect(content().string(containsString("That isn&#39;t your current password.")));
		List<String> all = events(person);
		assertThat(all.subList(before, all.size())).containsExactly("PASSWORD_FAILED");
		// The code was never used: it still works.
		person
			.post("/account/password", "currentPassword", TestAccounts.PASSWORD, "newPassword", NEW_PASSWORD,
					"confirmPassword", NEW_PASSWORD, "code", person.currentCode())
			.andExpect(redirectedUrl("/account#password"));
		assertThat(events(person)).contains("PASSWORD_CHANGED");
	}

	@Test
	void changePasswordWhenNoCodeAndNoFreshProofThenTheCurrentPasswordIsNotEvenChecked() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		int before = events(person).size();
		person
			.postRefused("/account/password", "currentPassword", "a guess", "newPassword", NEW_PASSWORD,
					"confirmPassword", NEW_PASSWORD, "code", "")
			.andExpect(content().string(containsString("Enter the 6-digit code from your app.")))
			.andExpect(content().string(not(containsString("your current password"))));
		assertThat(events(person)).hasSize(before);
	}

	@Test
	void everyActionWhenPostedWithTheCookieAloneThenRefusedAndNothingChanges() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		Map<String, Object> before = state(person);
		person.postRefused("/account/password", "newPassword", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD)
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Enter your current password.")));
		person.postRefused("/account/recovery-codes").andExpect(status().isOk());
		person.postRefused("/account/authenticator").andExpect(status().isOk());
		person.postRefused("/account/sessions")
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Enter the 6-digit code from your app.")));
		assertThat(state(person)).isEqualTo(before);
	}

	@Test
	void everyActionWhenProofIsWrongThenRefusedAndNothingChanges() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		Map<String, Object> before = state(person);
		this.clock.advance(Duration.ofSeconds(30));
		person
			.postRefused("/account/password", "currentPassword", "not my password", "newPassword", NEW_PASSWORD,
					"confirmPassword", NEW_PASSWORD, "code", person.currentCode())
			.andExpect(content().string(containsString("That isn&#39;t your current password.")));
		person
			.postRefused("/account/password", "currentPassword", TestAccounts.PASSWORD, "newPassword", NEW_PASSWORD,
					"confirmPassword", NEW_PASSWORD, "code", person.wrongCode())
			.andExpect(content().string(containsString("That code didn")));
		person.postRefused("/account/recovery-codes", "code", person.wrongCode()).andExpect(status().isOk());
		person.postRefused("/account/authenticator", "currentPassword", TestAccounts.PASSWORD, "code", "zzzzz-zzzzz")
			.andExpect(status().isOk());
		assertThat(state(person)).isEqualTo(before);
	}

	@Test
	void everyActionWhenPostedWithoutCsrfTokenThenForbidden() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		for (String action : List.of("/account/password", "/account/recovery-codes", "/account/authenticator",
				"/account/sessions", "/account/authenticator/confirm", "/recovery-codes/saved")) {
			this.mvc.perform(post(action).session(person.session()).param("code", person.currentCode()))
				.andExpect(status().isForbidden());
		}
	}

	@Test
	void newPhoneWhenStartedThenOldAppWorksUntilTheNewOneIsConfirmed() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		String oldSecret = person.secret();
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/authenticator", "currentPassword", TestAccounts.PASSWORD, "code", person.currentCode())
			.andExpect(redirectedUrl("/account/authenticator"));
		person.get("/account/authenticator")
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Link your new phone")));
		byte[] png = person.get("/account/authenticator/qr.png").andReturn().getResponse().getContentAsByteArray();
		String newSecret = QrCodes.secretOf(QrCodes.decode(png));
		assertThat(newSecret).isNotEqualTo(oldSecret);

		// Meanwhile, another login still uses the old phone.
		Person other = new Person(this.mvc, this.clock, person.username());
		this.clock.advance(Duration.ofSeconds(30));
		other.signIn().andExpect(redirectedUrl("/verify-2fa"));
		other.code(TestTotp.code(oldSecret, this.clock.instant())).andExpect(redirectedUrl("/"));

		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/authenticator/confirm", "code", TestTotp.code(newSecret, this.clock.instant()))
			.andExpect(redirectedUrl("/account#new-phone"));
		assertThat(events(person)).contains("AUTHENTICATOR_REPLACED");

		this.clock.advance(Duration.ofSeconds(30));
		other.signIn();
		other.code(TestTotp.code(oldSecret, this.clock.instant())).andExpect(status().isOk());
		other.code(TestTotp.code(newSecret, this.clock.instant())).andExpect(redirectedUrl("/"));
	}

	@Test
	void newPhoneWhenACodeOfTheOldPhoneIsGivenThenSaidSoAndTheTurnedOnDateStays() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		Object turnedOn = this.jdbc.queryForObject("select totp_enabled_at from account where username = ?",
				Object.class, person.username());
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/authenticator", "currentPassword", TestAccounts.PASSWORD, "code", person.currentCode())
			.andExpect(redirectedUrl("/account/authenticator"));
		person.get("/account/authenticator")
			.andExpect(content().string(containsString("delete the old entry for this account")));
		String newSecret = QrCodes.secretOf(QrCodes
			.decode(person.get("/account/authenticator/qr.png").andReturn().getResponse().getContentAsByteArray()));
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/authenticator/confirm", "code", person.currentCode())
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("That code is from your current phone")));
		assertThat(this.jdbc.queryForList(
				"select e.detail from security_event e join account a on a.id = e.account_id where a.username = ? "
						+ "and e.event_type = 'CODE_FAILED'",
				String.class, person.username()))
			.as("counted in the lockout: no unlimited check of the current secret")
			.containsExactly("new-phone step: a code of the current phone");
		person.post("/account/authenticator/confirm", "code", TestTotp.code(newSecret, this.clock.instant()))
			.andExpect(redirectedUrl("/account#new-phone"));
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.jdbc.queryForObject("select totp_enabled_at from account where username = ?", Object.class,
				person.username()))
			.as("Turned on: when two-factor was first turned on")
			.isEqualTo(turnedOn);
		person.get("/account")
			.andExpect(content().string(containsString("Authenticator changed")))
			.andExpect(content().string(containsString("id=\"authenticator-changed\"")));
	}

	@Test
	void recoveryCodesWhenMadeOnTheAccountPageThenBackThereOnceSavedAndHomeRemindsUntilThen() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		person.get("/").andExpect(content().string(not(containsString("codes-not-saved"))));
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/recovery-codes", "code", person.currentCode())
			.andExpect(redirectedUrl("/recovery-codes"));
		person.get("/recovery-codes")
			.andExpect(content().string(containsString("Copy all")))
			.andExpect(content().string(containsString("Print")))
			.andExpect(content().string(containsString("download=\"totp-login-recovery-codes-" + person.username())));
		person.get("/")
			.andExpect(content().string(containsString("codes-not-saved")))
			.andExpect(content().string(containsString("Show them again")));
		person.post("/recovery-codes/saved")
			.andExpect(redirectedUrl("/account#recovery-codes"))
			.andExpect(flash().attribute("info", "recovery.savedAgain"));
		person.get("/").andExpect(content().string(not(containsString("codes-not-saved"))));
	}

	@Test
	void newPhoneWhenOldPhoneLostThenARecoveryCodeIsProofEnough() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		person
			.post("/account/authenticator", "currentPassword", TestAccounts.PASSWORD, "code",
					person.recoveryCodes().get(0).toUpperCase())
			.andExpect(redirectedUrl("/account/authenticator"));
		assertThat(events(person)).contains("RECOVERY_CODE_USED");
	}

	@Test
	void newPhoneWhenNotConfirmedWithinTenMinutesThenStartAgain() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/authenticator", "currentPassword", TestAccounts.PASSWORD, "code", person.currentCode())
			.andExpect(redirectedUrl("/account/authenticator"));
		this.clock.advance(Duration.ofMinutes(9).plusSeconds(59));
		person.get("/account/authenticator").andExpect(status().isOk());
		this.clock.advance(Duration.ofSeconds(1).plusMillis(1));
		person.get("/account/authenticator").andExpect(redirectedUrl("/account#new-phone"));
	}

	@Test
	void signOutEverywhereElseWhenConfirmedThenOtherSessionsEndedAndThisOneStays() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		MockHttpSession first = person.session();
		person.signedInAgain();
		MockHttpSession second = person.session();
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/sessions", "code", person.currentCode()).andExpect(redirectedUrl("/account#sessions"));
		this.mvc.perform(get("/").session(second)).andExpect(status().isOk());
		this.mvc.perform(get("/").session(first)).andExpect(redirectedUrl("/login"));
		assertThat(first.isInvalid()).isTrue();
	}

	@Test
	void accountPageWhenOpenedThenStatusAndEventsWithTimeIpAndBrowser() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.mvc.perform(get("/account").session(person.session()).header("User-Agent", "TestBrowser/1.0 <b>bold</b>"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Account security")))
			.andExpect(content().string(containsString("Two-factor authentication turned on")))
			.andExpect(content().string(containsString("Account created")))
			.andExpect(content().string(containsString("127.0.0.1")));
		person.signedInAgain();
		String page = this.mvc.perform(get("/account").session(person.session()))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("Code accepted").contains("Password accepted").contains("id=\"codes-left\">10<");
	}

	@Test
	void auditLogWhenEverythingHappenedThenNoPasswordCodeOrSecretInIt() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		String usedCode = person.currentCode();
		person.signIn("my wrong password attempt");
		person.signedInAgain();
		String table = String.join("\n", this.jdbc.queryForList(
				"select coalesce(detail, '') || ' ' || coalesce(user_agent, '') from security_event", String.class));
		assertThat(table).doesNotContain(TestAccounts.PASSWORD)
			.doesNotContain("my wrong password attempt")
			.doesNotContain(usedCode)
			.doesNotContain(person.secret());
		person.recoveryCodes().forEach((code) -> assertThat(table).doesNotContain(code));
	}

	private List<String> events(Person person) {
		return TestAccounts.eventsOf(this.jdbc, person.username());
	}

	/** Everything an account action could change. */
	private Map<String, Object> state(Person person) {
		Map<String, Object> account = this.jdbc.queryForMap(
				"select id, password_hash, totp_secret, (select count(*) from pending_authenticator p where p.account_id = account.id) as pending, "
						+ "session_epoch from account where username = ?",
				person.username());
		account.put("codes", this.jdbc.queryForList(
				"select code_hash || coalesce(cast(used_at as varchar), '') from recovery_code where account_id = ? "
						+ "order by id",
				String.class, account.get("ID")));
		return account;
	}

}
