package dev.totplogin.securitykey;

import java.time.Duration;
import java.util.List;

import dev.totplogin.security.Assurance;
import dev.totplogin.support.Mailbox;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.SoftwareAuthenticator;
import dev.totplogin.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A passkey on its own, through the real filter chain with a software authenticator: it
 * signs in only if it was registered as a passkey with user verification and the
 * assertion's signed flags say the user was verified; the account is found from the
 * credential; unknown credentials answer as wrong ones and count nowhere; failures of a
 * known one count in its account's second-factor budget.
 */
@MockMvcAppTest
class PasskeyTests {

	static final String ORIGIN = SecurityKeyTests.ORIGIN;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void passkeyWhenRegisteredWithUserVerificationThenSignsInAloneAtAal2AsHwk() throws Exception {
		SoftwareAuthenticator passkey = new SoftwareAuthenticator(ORIGIN).verifyingUser(true);
		Person person = new Person(this.mvc, this.clock).signedUp();
		String options = registrationOptions(person, "passkey");
		assertThat(options).contains("\"residentKey\":\"required\"", "\"userVerification\":\"required\"");
		json(person, "/webauthn/register", passkey.register(options, "Laptop")).andExpect(status().isOk());
		assertThat(flag(passkey, "registered_as_passkey")).isTrue();
		person.get("/account")
			.andExpect(content().string(containsString("Signs you in on its own")))
			.andExpect(content().string(containsString("Add a passkey")));
		person.post("/logout");

		Person stranger = person.anotherBrowser();
		this.clock.advance(Duration.ofSeconds(30));
		String request = keyChallenge(stranger);
		assertThat(request).contains("\"allowCredentials\":[]");
		String before = stranger.session().getId();
		json(stranger, "/login/webauthn", passkey.assertion(request)).andExpect(status().isOk())
			.andExpect(jsonPath("$.authenticated").value(true))
			.andExpect(jsonPath("$.redirectUrl").value("/"));
		assertThat(stranger.session().getId()).as("a new session id").isNotEqualTo(before);
		stranger.get("/account").andExpect(status().isOk());
		Assurance assurance = assurance(stranger);
		assertThat(assurance.amr()).containsExactly("hwk", "mfa");
		assertThat(assurance.acr()).isEqualTo(Assurance.AAL2);
		assertThat(events(person)).endsWith("SECURITY_KEY_SIGN_IN");
		assertThat(this.jdbc.queryForObject(
				"select count(*) from signed_in_session s join account a on a.id = s.account_id where a.username = ?",
				Integer.class, person.username()))
			.as("the signed-in session's row")
			.isPositive();
	}

	@Test
	void passkeyWhenSyncedThenSwkAndTheKeyListSaysSynced() throws Exception {
		SoftwareAuthenticator passkey = new SoftwareAuthenticator(ORIGIN).verifyingUser(true).synced();
		Person person = signedUpWithPasskey(passkey);
		person.get("/account").andExpect(content().string(containsString("Synced")));
		Person stranger = person.anotherBrowser();
		json(stranger, "/login/webauthn", passkey.assertion(keyChallenge(stranger))).andExpect(status().isOk());
		assertThat(assurance(stranger).amr()).containsExactly("swk", "mfa");
	}

	@Test
	void assertionWhenWithoutUserVerificationThenRefusedAloneButTheKeyStillWorksAfterThePassword() throws Exception {
		SoftwareAuthenticator passkey = new SoftwareAuthenticator(ORIGIN).verifyingUser(true);
		Person person = signedUpWithPasskey(passkey);
		passkey.verifyingUser(false);
		Person stranger = person.anotherBrowser();
		json(stranger, "/login/webauthn", passkey.assertion(keyChallenge(stranger)))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.authenticated").value(false))
			.andExpect(jsonPath("$.reason").value("notAlone"));
		stranger.get("/account").andExpect(redirectedUrl("/login"));
		assertThat(events(person)).doesNotContain("SECURITY_KEY_REFUSED");

		this.clock.advance(Duration.ofSeconds(30));
		stranger.signIn().andExpect(redirectedUrl("/verify-2fa"));
		json(stranger, "/login/webauthn", passkey.assertion(keyChallenge(stranger))).andExpect(status().isOk());
		Assurance assurance = assurance(stranger);
		assertThat(assurance.amr()).containsExactly("pwd", "hwk", "mfa");
	}

	@Test
	void credentialWhenUnknownThenAnsweredAsAWrongOneAndNothingCounted() throws Exception {
		SoftwareAuthenticator passkey = new SoftwareAuthenticator(ORIGIN).verifyingUser(true);
		Person person = signedUpWithPasskey(passkey);
		Person stranger = new Person(this.mvc, this.clock);
		String unknown = json(stranger, "/login/webauthn",
				new SoftwareAuthenticator(ORIGIN).verifyingUser(true).assertion(keyChallenge(stranger)))
			.andExpect(status().isUnauthorized())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String wrong = json(stranger, "/login/webauthn", passkey.impostor().assertion(keyChallenge(stranger)))
			.andExpect(status().isUnauthorized())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(unknown).isEqualTo(wrong).isEqualTo("{\"authenticated\":false}");
		assertThat(events(person)).as("only the known credential's failure counts").endsWith("SECURITY_KEY_REFUSED");
		assertThat(events(person).stream().filter("SECURITY_KEY_REFUSED"::equals)).hasSize(1);
	}

	@Test
	void passkeyWhenFiveAssertionsOfItsCredentialFailedThenTheAccountsSecondFactorIsLocked() throws Exception {
		SoftwareAuthenticator passkey = new SoftwareAuthenticator(ORIGIN).verifyingUser(true);
		Person person = signedUpWithPasskey(passkey);
		Person attacker = new Person(this.mvc, this.clock);
		SoftwareAuthenticator impostor = passkey.impostor();
		for (int i = 0; i < 5; i++) {
			json(attacker, "/login/webauthn", impostor.assertion(keyChallenge(attacker)))
				.andExpect(status().isUnauthorized());
		}
		assertThat(events(person)).contains("LOCKED");
		Person owner = person.anotherBrowser();
		json(owner, "/login/webauthn", passkey.assertion(keyChallenge(owner))).andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.reason").doesNotExist());
		owner.get("/account").andExpect(redirectedUrl("/login"));
		this.clock.advance(Duration.ofSeconds(30));
		owner.signIn().andExpect(redirectedUrl("/verify-2fa"));
		owner.code(owner.currentCode()).andExpect(status().isOk());
		owner.get("/").andExpect(redirectedUrl("/verify-2fa"));
		assertThat(events(person)).endsWith("LOCKED", "REFUSED_WHILE_LOCKED", "PASSWORD_OK", "REFUSED_WHILE_LOCKED");
	}

	@Test
	void lockWhenCausedByPasskeyAttemptsThenTheMailSaysThePasswordWasNotUsed() throws Exception {
		String address = "passkey-lock-" + Long.toHexString(System.nanoTime()) + "@example.com";
		Person person = new Person(this.mvc, this.clock).withEmail(address).signedUp();
		String link = Mailbox.linkIn(new Mailbox(this.jdbc).awaitMessage(address, 1));
		person.post("/email/verify", "token", link.substring(link.indexOf("token=") + 6));
		SoftwareAuthenticator passkey = new SoftwareAuthenticator(ORIGIN).verifyingUser(true);
		json(person, "/webauthn/register", passkey.register(registrationOptions(person, "passkey"), "Passkey"))
			.andExpect(status().isOk());
		Person attacker = new Person(this.mvc, this.clock);
		SoftwareAuthenticator impostor = passkey.impostor();
		for (int i = 0; i < 5; i++) {
			json(attacker, "/login/webauthn", impostor.assertion(keyChallenge(attacker)))
				.andExpect(status().isUnauthorized());
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> new Mailbox(this.jdbc).messagesTo(address)
				.stream()
				.anyMatch((mail) -> String.valueOf(mail.get("SUBJECT")).contains("your second factor is refused")));
		List<String> subjects = new Mailbox(this.jdbc).messagesTo(address)
			.stream()
			.map((mail) -> String.valueOf(mail.get("SUBJECT")))
			.toList();
		assertThat(subjects).contains("Failed passkey sign-ins: your second factor is refused for now")
			.noneMatch((subject) -> subject.contains("Wrong"));
	}

	@Test
	void passkeyWhenOfAnotherAccountThenItDoesNotCompleteAPendingSignIn() throws Exception {
		SoftwareAuthenticator bobsPasskey = new SoftwareAuthenticator(ORIGIN).verifyingUser(true);
		signedUpWithPasskey(bobsPasskey);
		Person alice = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		alice.signIn().andExpect(redirectedUrl("/verify-2fa"));
		json(alice, "/login/webauthn", bobsPasskey.assertion(keyChallenge(alice))).andExpect(status().isUnauthorized());
		alice.get("/").andExpect(redirectedUrl("/verify-2fa"));
		assertThat(events(alice)).endsWith("SECURITY_KEY_REFUSED");
	}

	@Test
	void passkeyWhenRemovedThenRefusedAsAnUnknownOne() throws Exception {
		SoftwareAuthenticator passkey = new SoftwareAuthenticator(ORIGIN).verifyingUser(true);
		Person person = signedUpWithPasskey(passkey);
		confirm(person);
		person.post("/account/security-keys/" + passkey.credentialId() + "/remove")
			.andExpect(redirectedUrl("/account#security-keys"))
			.andExpect(flash().attribute("info", "account.keys.removed"));
		Person stranger = person.anotherBrowser();
		json(stranger, "/login/webauthn", passkey.assertion(keyChallenge(stranger)))
			.andExpect(status().isUnauthorized())
			.andExpect(content().string("{\"authenticated\":false}"));
		stranger.get("/account").andExpect(redirectedUrl("/login"));
	}

	/**
	 * A disabled account's passkey gets the wrong key's answer: nothing says the account
	 * exists or is disabled, and no session is signed in.
	 */
	@Test
	void passkeyWhenTheAccountIsDisabledThenAnsweredAsAWrongOneAndNoSession() throws Exception {
		SoftwareAuthenticator passkey = new SoftwareAuthenticator(ORIGIN).verifyingUser(true);
		Person person = signedUpWithPasskey(passkey);
		person.post("/logout");
		assertThat(this.jdbc.update("update account set disabled_at = current_timestamp where username = ?",
				person.username()))
			.isOne();
		Person stranger = person.anotherBrowser();
		json(stranger, "/login/webauthn", passkey.assertion(keyChallenge(stranger)))
			.andExpect(status().isUnauthorized())
			.andExpect(content().string("{\"authenticated\":false}"));
		stranger.get("/account").andExpect(redirectedUrl("/login"));
		assertThat(this.jdbc.queryForObject(
				"select count(*) from signed_in_session s join account a on a.id = s.account_id where a.username = ?",
				Integer.class, person.username()))
			.isZero();
		assertThat(events(person)).endsWith("REFUSED_WHILE_DISABLED").doesNotContain("SECURITY_KEY_SIGN_IN");
	}

	@Test
	void lastPasskeyWhenTheAccountHasNoAuthenticatorAppThenItsRemovalIsRefused() throws Exception {
		SoftwareAuthenticator passkey = new SoftwareAuthenticator(ORIGIN).verifyingUser(true);
		Person person = signedUpWithPasskey(passkey);
		confirm(person);
		this.jdbc.update("update account set totp_secret = null where username = ?", person.username());
		person.post("/account/security-keys/" + passkey.credentialId() + "/remove")
			.andExpect(redirectedUrl("/account#security-keys"))
			.andExpect(flash().attribute("alert", "account.keys.lastWayIn"));
		assertThat(this.jdbc.queryForObject("select count(*) from user_credentials where credential_id = ?",
				Integer.class, passkey.credentialId()))
			.isOne();
		assertThat(events(person)).doesNotContain("SECURITY_KEY_REMOVED");
		// The way back in works: the passkey alone.
		Person later = person.anotherBrowser();
		json(later, "/login/webauthn", passkey.assertion(keyChallenge(later))).andExpect(status().isOk());
	}

	@Test
	void passkeySessionWhenOlderThanTheAbsoluteTimeoutThenEnded() throws Exception {
		SoftwareAuthenticator passkey = new SoftwareAuthenticator(ORIGIN).verifyingUser(true);
		Person person = signedUpWithPasskey(passkey);
		Person later = person.anotherBrowser();
		json(later, "/login/webauthn", passkey.assertion(keyChallenge(later))).andExpect(status().isOk());
		// Active all along (a page every 20 minutes, inside the idle timeout): only the
		// absolute limit, counted from the passkey's sign-in, ends it.
		for (int minutes = 20; minutes < 12 * 60; minutes += 20) {
			this.clock.advance(Duration.ofMinutes(20));
			later.get("/account").andExpect(status().isOk());
		}
		this.clock.advance(Duration.ofMinutes(20));
		later.get("/account").andExpect(redirectedUrl("/login"));
	}

	private Person signedUpWithPasskey(SoftwareAuthenticator passkey) throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		json(person, "/webauthn/register", passkey.register(registrationOptions(person, "passkey"), "Passkey"))
			.andExpect(status().isOk());
		this.clock.advance(Duration.ofSeconds(30));
		return person;
	}

	private String registrationOptions(Person person, String kind) throws Exception {
		confirm(person);
		return person
			.perform(MockMvcRequestBuilders.post("/webauthn/register/options")
				.param("kind", kind)
				.contentType(MediaType.APPLICATION_JSON))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	private void confirm(Person person) throws Exception {
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/confirm", "code", person.currentCode()).andExpect(redirectedUrl("/account#confirm"));
	}

	private static String keyChallenge(Person person) throws Exception {
		return json(person, "/webauthn/authenticate/options", "").andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	private static ResultActions json(Person person, String path, String body) throws Exception {
		return person.perform(MockMvcRequestBuilders.post(path).contentType(MediaType.APPLICATION_JSON).content(body));
	}

	private static Assurance assurance(Person person) {
		SecurityContext context = (SecurityContext) person.session()
			.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		return Assurance.of(context.getAuthentication()).orElseThrow();
	}

	private Boolean flag(SoftwareAuthenticator key, String column) {
		return this.jdbc.queryForObject("select " + column + " from user_credentials where credential_id = ?",
				Boolean.class, key.credentialId());
	}

	private List<String> events(Person person) {
		return TestAccounts.eventsOf(this.jdbc, person.username());
	}

}
