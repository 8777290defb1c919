package dev.totplogin.account;

import java.time.Duration;

import dev.totplogin.support.Mailbox;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.RangeApiStub;
import dev.totplogin.support.TestAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static dev.totplogin.support.Mailbox.linkIn;
import static dev.totplogin.support.Mailbox.pathOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * With {@code app.breached-passwords.enabled}, against a local stub of the range API: a
 * password in known breaches is refused wherever a new password is chosen (sign-up,
 * change, reset) with a message saying so, a clean one is taken, and the stub only ever
 * sees five-digit hash prefixes.
 */
@MockMvcAppTest
class BreachedPasswordFlowTests {

	private static final String BREACHED = BreachedPasswordsTests.BREACHED;

	private static final String CLEAN = BreachedPasswordsTests.CLEAN;

	private static final String MESSAGE = "This password appears in known data breaches, so attackers will try it.";

	private static final RangeApiStub stub = RangeApiStub.start(BREACHED);

	private static int people;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@DynamicPropertySource
	static void theStub(DynamicPropertyRegistry registry) {
		registry.add("app.breached-passwords.enabled", () -> "true");
		registry.add("app.breached-passwords.api-url", stub::url);
	}

	@AfterAll
	static void closeStub() {
		stub.close();
	}

	@BeforeEach
	void forgetRequests() {
		stub.forget();
	}

	@Test
	void signUpWhenPasswordInBreachesThenRefusedWithTheMessageAndNoAccount() throws Exception {
		String username = "breached" + (++people);
		this.mvc
			.perform(MockMvcRequestBuilders.post("/register")
				.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf())
				.param("username", username)
				.param("password", BREACHED)
				.param("confirmPassword", BREACHED))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(MESSAGE)));
		assertThat(this.jdbc.queryForObject("select count(*) from account where username = ?", Long.class, username))
			.isZero();
		assertOnlyPrefixesReachedTheStub();
	}

	@Test
	void signUpWhenPasswordInBreachesAndPageInGermanThenTheMessageIsGerman() throws Exception {
		this.mvc
			.perform(MockMvcRequestBuilders.post("/register")
				.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf())
				.header("Accept-Language", "de")
				.param("username", "breached" + (++people))
				.param("password", BREACHED)
				.param("confirmPassword", BREACHED))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Dieses Passwort kommt in bekannten Datenlecks vor")));
	}

	@Test
	void signUpWhenPasswordNotInBreachesThenAccepted() throws Exception {
		new Person(this.mvc, this.clock).signedUp();
		assertThat(stub.received()).as("the sign-up's password was looked up").isNotEmpty();
		assertOnlyPrefixesReachedTheStub();
	}

	@Test
	void changePasswordWhenNewPasswordInBreachesThenRefusedWithTheMessageAndTheOldOneStillWorks() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		stub.forget();
		this.clock.advance(Duration.ofSeconds(30));
		person
			.postRefused("/account/password", "currentPassword", TestAccounts.PASSWORD, "newPassword", BREACHED,
					"confirmPassword", BREACHED, "code", person.currentCode())
			.andExpect(content().string(containsString(MESSAGE)));
		person.signIn(BREACHED).andExpect(redirectedUrl("/login"));
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		this.clock.advance(Duration.ofSeconds(30));
		person.code(person.currentCode()).andExpect(redirectedUrl("/"));
		this.clock.advance(Duration.ofSeconds(30));
		person
			.post("/account/password", "currentPassword", TestAccounts.PASSWORD, "newPassword", CLEAN,
					"confirmPassword", CLEAN, "code", person.currentCode())
			.andExpect(redirectedUrl("/account#password"));
		// One lookup per password, though the step-up filter and the controller both
		// check the form of the change that went through.
		assertThat(stub.received()).extracting(RangeApiStub.Received::rawPathAndQuery)
			.containsExactly("/range/" + RangeApiStub.sha1(BREACHED).substring(0, 5),
					"/range/" + RangeApiStub.sha1(CLEAN).substring(0, 5));
		assertOnlyPrefixesReachedTheStub();
	}

	@Test
	void resetWhenNewPasswordInBreachesThenRefusedWithTheMessageAndNothingChanged() throws Exception {
		Person owner = new Person(this.mvc, this.clock).withEmail("breached" + (++people) + "@example.com").signedUp();
		String verification = linkIn(new Mailbox(this.jdbc).awaitMessage(owner.email(), 1));
		owner.post("/email/verify", "token", verification.substring(verification.indexOf("token=") + 6))
			.andExpect(flash().attribute("info", "email.verify.done"));
		String hashBefore = passwordHash(owner);
		Person browser = owner.anotherBrowser();
		browser.post("/password/forgot", "email", owner.email()).andExpect(redirectedUrl("/password/forgot"));
		browser.get(pathOf(linkIn(new Mailbox(this.jdbc).awaitMessage(owner.email(), 2))))
			.andExpect(redirectedUrl("/password/reset"));
		this.clock.advance(Duration.ofSeconds(30));
		browser
			.post("/password/reset", "code", owner.currentCode(), "newPassword", BREACHED, "confirmPassword", BREACHED)
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(MESSAGE)));
		assertThat(passwordHash(owner)).isEqualTo(hashBefore);
		assertOnlyPrefixesReachedTheStub();
	}

	/** What left the application: five upper-case hex digits each time, nothing else. */
	private static void assertOnlyPrefixesReachedTheStub() {
		assertThat(stub.received()).allSatisfy((request) -> {
			assertThat(request.method()).isEqualTo("GET");
			assertThat(request.rawPathAndQuery()).matches("/range/[0-9A-F]{5}");
			assertThat(request.body()).isEmpty();
		});
	}

	private String passwordHash(Person person) {
		return this.jdbc.queryForObject("select password_hash from account where username = ?", String.class,
				person.username());
	}

}
