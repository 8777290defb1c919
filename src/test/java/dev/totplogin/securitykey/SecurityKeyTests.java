package dev.totplogin.securitykey;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;

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
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Security keys as the second factor, through the real filter chain with a software
 * authenticator: added only with fresh proof, a key only ever completes the pending
 * sign-in of its own account, each challenge used once, bad input refused with a 4xx.
 */
@MockMvcAppTest
class SecurityKeyTests {

	/** The origin of {@code app.base-url}, which the relying party allows. */
	static final String ORIGIN = "http://localhost:8080";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void codePageWhenTheAccountHasNoKeyThenNoneOfferedAndWhenLockedThenSaysSoAtOnce() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		passwordStepAgain(person);
		person.get("/verify-2fa")
			.andExpect(content().string(not(containsString("Use a security key or passkey"))))
			.andExpect(content().string(not(containsString("Too many wrong codes"))));
		this.jdbc.update(
				"update auth_throttle set locked_until = ? where account_id = "
						+ "(select id from account where username = ?) and factor = 'SECOND_FACTOR'",
				Timestamp.from(this.clock.instant().plusSeconds(60)), person.username());
		person.get("/verify-2fa").andExpect(content().string(containsString("Too many wrong codes")));
	}

	@Test
	void keyWhenAddedWithFreshProofThenListedAuditedAndSignsInInsteadOfTheCode() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN);
		addKey(person, key, "Blue YubiKey").andExpect(status().isOk()).andExpect(jsonPath("$.success").value(true));
		person.post("/account/security-keys/added")
			.andExpect(redirectedUrl("/account#security-keys"))
			.andExpect(flash().attribute("info", "account.keys.added"));
		person.get("/account").andExpect(content().string(containsString("Blue YubiKey")));

		passwordStepAgain(person);
		person.get("/verify-2fa").andExpect(content().string(containsString("Use a security key or passkey")));
		String pendingId = person.session().getId();
		signInWithKey(person, key).andExpect(status().isOk())
			.andExpect(jsonPath("$.authenticated").value(true))
			.andExpect(jsonPath("$.redirectUrl").value("/"));
		assertThat(person.session().getId()).as("a new session id at the key step").isNotEqualTo(pendingId);
		person.get("/account").andExpect(status().isOk());
		assertThat(events(person)).contains("SECURITY_KEY_ADDED", "SECURITY_KEY_SIGN_IN")
			.doesNotContain("SECURITY_KEY_REFUSED");
		assertThat(this.jdbc.queryForObject("select signature_count from user_credentials where credential_id = ?",
				Long.class, key.credentialId()))
			.isOne();
	}

	@Test
	void keyWhenJustAddedThenNeverUsedUntilItSignsIn() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN);
		addKey(person, key, "Green key").andExpect(status().isOk());
		person.get("/account").andExpect(content().string(containsString("last used never")));

		passwordStepAgain(person);
		signInWithKey(person, key).andExpect(status().isOk());
		person.get("/account")
			.andExpect(content().string(containsString("Green key")))
			.andExpect(content().string(not(containsString("last used never"))));
	}

	@Test
	void keyWhenAddedThenTheOwnerIsToldByMail() throws Exception {
		Person person = new Person(this.mvc, this.clock).withEmail("keys@example.com").signedUp();
		Mailbox mailbox = new Mailbox(this.jdbc);
		String link = Mailbox.linkIn(mailbox.awaitMessage(person.email(), 1));
		person.post("/email/verify", "token", link.substring(link.indexOf("token=") + 6));
		addKey(person, new SoftwareAuthenticator(ORIGIN), "Laptop").andExpect(status().isOk());
		assertThat(mailbox.awaitMessage(person.email(), 2))
			.contains("A security key or passkey was added to your account");
	}

	@Test
	void registrationWhenNoFreshProofThenRefusedAndNothingStored() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp().signedInAgain();
		json(person, "/webauthn/register/options", "").andExpect(status().isBadRequest())
			.andExpect(content().string(not(containsString("challenge"))));
		assertThat(keyRows(person)).isZero();
		person.get("/account")
			.andExpect(content().string(containsString("To add a key, first confirm it")))
			.andExpect(content().string(not(containsString("id=\"add-security-key\""))));
	}

	@Test
	void keyWhenOfAnotherAccountThenItDoesNotCompleteThePendingSignIn() throws Exception {
		SoftwareAuthenticator bobsKey = new SoftwareAuthenticator(ORIGIN);
		Person bob = signedUpWithKey(bobsKey, "Bob's key");
		Person alice = new Person(this.mvc, this.clock).signedUp();
		addKey(alice, new SoftwareAuthenticator(ORIGIN), "Alice's key").andExpect(status().isOk());
		Person aliceNoKey = new Person(this.mvc, this.clock).signedUp();

		for (Person victim : List.of(alice, aliceNoKey)) {
			this.clock.advance(Duration.ofSeconds(30));
			victim.signIn().andExpect(redirectedUrl("/verify-2fa"));
			signInWithKey(victim, bobsKey).andExpect(status().isUnauthorized())
				.andExpect(jsonPath("$.authenticated").value(false));
			victim.get("/").andExpect(redirectedUrl("/verify-2fa"));
			assertThat(events(victim)).contains("SECURITY_KEY_REFUSED").doesNotContain("SECURITY_KEY_SIGN_IN");
		}
		assertThat(this.jdbc.queryForObject("select signature_count from user_credentials where credential_id = ?",
				Long.class, bobsKey.credentialId()))
			.as("Bob's key is not even touched")
			.isZero();
	}

	@Test
	void keyWhenThePendingTimeoutHasPassedThenRefusedAsTheCodeIs() throws Exception {
		SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN);
		Person person = signedUpWithKey(key, "Key");
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		String options = keyChallenge(person);
		this.clock.advance(Duration.ofMinutes(5));
		json(person, "/login/webauthn", key.assertion(options)).andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.redirectUrl").value("/verify-2fa"));
		person.get("/verify-2fa").andExpect(redirectedUrl("/login"));
		assertThat(events(person)).doesNotContain("SECURITY_KEY_SIGN_IN");
	}

	@Test
	void assertionWhenReplayedThenRefused() throws Exception {
		SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN);
		Person person = signedUpWithKey(key, "Key");
		passwordStepAgain(person);
		String options = keyChallenge(person);
		String assertion = key.assertion(options);
		json(person, "/login/webauthn", assertion).andExpect(status().isOk());

		Person thief = person.anotherBrowser();
		thief.signIn().andExpect(redirectedUrl("/verify-2fa"));
		// no challenge given to this session
		json(thief, "/login/webauthn", assertion).andExpect(status().isUnauthorized());
		json(thief, "/webauthn/authenticate/options", "").andExpect(status().isOk());
		// the old challenge
		json(thief, "/login/webauthn", assertion).andExpect(status().isUnauthorized());
		thief.get("/").andExpect(redirectedUrl("/verify-2fa"));
	}

	@Test
	void securityKeyWhenUsedWithoutAnySignInThenRefusedAsNotOnItsOwn() throws Exception {
		SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN).verifyingUser(true);
		Person person = signedUpWithKey(key, "Key");
		// A session with no sign-in gets a usernameless challenge (a passkey's sign-in),
		// but a key added as a security key is no first factor, even with UV.
		Person stranger = new Person(this.mvc, this.clock);
		String options = keyChallenge(stranger);
		assertThat(options).contains("\"allowCredentials\":[]");
		json(stranger, "/login/webauthn", key.assertion(options)).andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.reason").value("notAlone"));
		json(stranger, "/login/webauthn", key.assertion("localhost", "AAAAAAAAAAAAAAAAAAAAAA"))
			.andExpect(status().isUnauthorized());
		stranger.get("/account").andExpect(redirectedUrl("/login"));
		assertThat(events(person)).doesNotContain("SECURITY_KEY_SIGN_IN");
	}

	@Test
	void assertionWhenReplayedInTheSessionItSignedInThenRefused() throws Exception {
		SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN);
		Person person = signedUpWithKey(key, "Key");
		passwordStepAgain(person);
		String options = keyChallenge(person);
		String assertion = key.assertion(options);
		json(person, "/login/webauthn", assertion).andExpect(status().isOk());
		json(person, "/login/webauthn", assertion).andExpect(status().isUnauthorized());
	}

	@Test
	void keyWhenItsSignatureCounterGoesBackThenRefusedAsAClone() throws Exception {
		SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN);
		Person person = signedUpWithKey(key, "Key");
		passwordStepAgain(person);
		signInWithKey(person, key).andExpect(status().isOk());
		person.post("/logout");

		key.rewindCounter();
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		signInWithKey(person, key).andExpect(status().isUnauthorized());
		person.get("/").andExpect(redirectedUrl("/verify-2fa"));
		assertThat(events(person)).endsWith("SECURITY_KEY_REFUSED");
	}

	@Test
	void keyWhenRefusedFiveTimesThenTheSecondFactorLocksForKeysAndCodesAlike() throws Exception {
		SoftwareAuthenticator mallorysKey = new SoftwareAuthenticator(ORIGIN);
		Person mallory = signedUpWithKey(mallorysKey, "Mallory's");
		SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN);
		Person alice = signedUpWithKey(key, "Alice's");
		passwordStepAgain(alice);
		for (int i = 0; i < 5; i++) {
			signInWithKey(alice, mallorysKey).andExpect(status().isUnauthorized());
		}
		signInWithKey(alice, key).andExpect(status().isUnauthorized());
		alice.code(alice.currentCode()).andExpect(status().isOk());
		assertThat(events(alice)).contains("LOCKED").endsWith("REFUSED_WHILE_LOCKED", "REFUSED_WHILE_LOCKED");
	}

	@Test
	void keyWhenTheAccountsSessionsWereEndedMeanwhileThenRefused() throws Exception {
		SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN);
		Person person = signedUpWithKey(key, "Key");
		Person pending = person.anotherBrowser();
		this.clock.advance(Duration.ofSeconds(30));
		pending.signIn().andExpect(redirectedUrl("/verify-2fa"));
		String options = keyChallenge(pending);
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/sessions", "code", person.currentCode()).andExpect(redirectedUrl("/account#sessions"));
		assertThat(events(person)).contains("OTHER_SESSIONS_ENDED");
		json(pending, "/login/webauthn", key.assertion(options)).andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.redirectUrl").value("/verify-2fa"));
		assertThat(events(person)).doesNotContain("SECURITY_KEY_SIGN_IN");
	}

	@Test
	void registrationWhenItsChallengeWasGivenToAnEarlierSignInOfTheSessionThenRefused() throws Exception {
		Person alice = new Person(this.mvc, this.clock).signedUp();
		Person bob = new Person(this.mvc, this.clock).signedUp();
		confirm(alice);
		String alicesOptions = json(alice, "/webauthn/register/options", "").andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		this.clock.advance(Duration.ofSeconds(30));
		alice
			.perform(MockMvcRequestBuilders.post("/login")
				.param("username", bob.username())
				.param("password", TestAccounts.PASSWORD))
			.andExpect(redirectedUrl("/verify-2fa"));
		alice.code(bob.currentCode()).andExpect(redirectedUrl("/"));
		this.clock.advance(Duration.ofSeconds(30));
		alice.post("/account/confirm", "code", bob.currentCode()).andExpect(redirectedUrl("/account#confirm"));
		json(alice, "/webauthn/register", new SoftwareAuthenticator(ORIGIN).register(alicesOptions, "Planted"))
			.andExpect(status().isBadRequest());
		assertThat(keyRows(alice) + keyRows(bob)).isZero();
	}

	@Test
	void keyWhenTouchedOnTheAccountPageThenItIsFreshProofAsACodeIs() throws Exception {
		SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN);
		Person person = signedUpWithKey(key, "Key");
		SoftwareAuthenticator mallorysKey = new SoftwareAuthenticator(ORIGIN);
		Person mallory = signedUpWithKey(mallorysKey, "Mallory's");

		Person later = person.anotherBrowser().signedInAgain();
		later.get("/account").andExpect(content().string(containsString("Confirm with a security key")));
		signInWithKey(later, mallorysKey).andExpect(status().isUnauthorized());
		later.post("/account/security-keys/" + key.credentialId() + "/remove")
			.andExpect(redirectedUrl("/account#confirm"));
		signInWithKey(later, key).andExpect(status().isOk())
			.andExpect(jsonPath("$.redirectUrl").value("/account#confirm"));
		later.get("/account").andExpect(content().string(containsString("id=\"confirmed\"")));
		later.post("/account/security-keys/" + key.credentialId() + "/remove")
			.andExpect(redirectedUrl("/account#security-keys"));
		assertThat(keyRows(person)).isZero();
		assertThat(events(person)).contains("SECURITY_KEY_CONFIRMED", "SECURITY_KEY_REFUSED", "SECURITY_KEY_REMOVED");
	}

	@Test
	void endpointsWhenGivenBadInputThen4xxAndNothingStored() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN);
		confirm(person);
		String options = json(person, "/webauthn/register/options", "").andReturn().getResponse().getContentAsString();
		json(person, "/webauthn/register", "{").andExpect(status().isBadRequest());
		json(person, "/webauthn/register", "{\"publicKey\":" + "[".repeat(5000) + "}")
			.andExpect(status().is4xxClientError());
		json(person, "/webauthn/register", "{\"x\":\"" + "a".repeat(100_000) + "\"}")
			.andExpect(status().isPayloadTooLarge());
		options = json(person, "/webauthn/register/options", "").andReturn().getResponse().getContentAsString();
		json(person, "/webauthn/register",
				key.register(options.replaceFirst("\"challenge\":\"[^\"]+\"",
						"\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\""), "Wrong challenge"))
			.andExpect(status().isBadRequest());
		for (String name : List.of("", " ", "x".repeat(41), "tab\tname")) {
			options = json(person, "/webauthn/register/options", "").andReturn().getResponse().getContentAsString();
			json(person, "/webauthn/register", key.register(options, name)).andExpect(status().isBadRequest());
		}
		SoftwareAuthenticator otherOrigin = new SoftwareAuthenticator("https://evil.example");
		options = json(person, "/webauthn/register/options", "").andReturn().getResponse().getContentAsString();
		json(person, "/webauthn/register", otherOrigin.register(options, "Phished")).andExpect(status().isBadRequest());
		assertThat(keyRows(person)).isZero();

		passwordStepAgain(person);
		json(person, "/webauthn/authenticate/options", "").andExpect(status().isOk());
		json(person, "/login/webauthn", "not json").andExpect(status().isUnauthorized());
		json(person, "/login/webauthn", "{\"x\":\"" + "a".repeat(100_000) + "\"}")
			.andExpect(status().isPayloadTooLarge());
		person.get("/").andExpect(redirectedUrl("/verify-2fa"));
	}

	@Test
	void keyWhenRemovedWithFreshProofThenItNoLongerSignsIn() throws Exception {
		SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN);
		Person person = signedUpWithKey(key, "Old key");
		person.perform(MockMvcRequestBuilders.delete("/webauthn/register/" + key.credentialId()))
			.andExpect(status().isForbidden());
		assertThat(keyRows(person)).isOne();

		Person later = person.anotherBrowser().signedInAgain();
		later.post("/account/security-keys/" + key.credentialId() + "/remove")
			.andExpect(redirectedUrl("/account#confirm"));
		assertThat(keyRows(person)).as("not without fresh proof").isOne();
		confirm(later);
		later.post("/account/security-keys/" + key.credentialId() + "/remove")
			.andExpect(redirectedUrl("/account#security-keys"));
		assertThat(keyRows(person)).isZero();
		assertThat(events(person)).contains("SECURITY_KEY_REMOVED");

		this.clock.advance(Duration.ofSeconds(30));
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		person.get("/verify-2fa").andExpect(content().string(not(containsString("Use a security key"))));
		json(person, "/webauthn/authenticate/options", "").andExpect(status().isOk());
		json(person, "/login/webauthn", key.assertion("localhost", "AAAAAAAAAAAAAAAAAAAAAA"))
			.andExpect(status().isUnauthorized());
	}

	@Test
	void keySignInWhenTheBoxIsTickedThenThisBrowserIsTrusted() throws Exception {
		SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN);
		Person person = signedUpWithKey(key, "Key");
		passwordStepAgain(person);
		String options = keyChallenge(person);
		json(person, "/login/webauthn?rememberBrowser=true", key.assertion(options)).andExpect(status().isOk());
		assertThat(person.cookie("TRUSTED_BROWSER")).isNotNull();
		assertThat(person.signInOnThisBrowser()).isEqualTo("/");
	}

	private Person signedUpWithKey(SoftwareAuthenticator key, String name) throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		addKey(person, key, name).andExpect(status().isOk());
		return person;
	}

	private ResultActions addKey(Person person, SoftwareAuthenticator key, String name) throws Exception {
		confirm(person);
		String options = json(person, "/webauthn/register/options", "").andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		return json(person, "/webauthn/register", key.register(options, name));
	}

	private ResultActions signInWithKey(Person person, SoftwareAuthenticator key) throws Exception {
		return json(person, "/login/webauthn", key.assertion(keyChallenge(person)));
	}

	/** The options (and challenge) of a key ceremony for this session. */
	private static String keyChallenge(Person person) throws Exception {
		return json(person, "/webauthn/authenticate/options", "").andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	/** Signs out, and passes the password step again a step later: at the code page. */
	private void passwordStepAgain(Person person) throws Exception {
		person.post("/logout");
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
	}

	private void confirm(Person person) throws Exception {
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/confirm", "code", person.currentCode()).andExpect(redirectedUrl("/account#confirm"));
	}

	private static ResultActions json(Person person, String path, String body) throws Exception {
		return person.perform(MockMvcRequestBuilders.post(path).contentType(MediaType.APPLICATION_JSON).content(body));
	}

	private int keyRows(Person person) {
		return this.jdbc.queryForObject(
				"select count(*) from user_credentials c join user_entities e on e.id = c.user_entity_user_id"
						+ " where e.name = ?",
				Integer.class, person.username());
	}

	private List<String> events(Person person) {
		return TestAccounts.eventsOf(this.jdbc, person.username());
	}

}
