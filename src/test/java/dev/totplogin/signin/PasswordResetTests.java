package dev.totplogin.signin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.totplogin.support.CountingStatements;
import dev.totplogin.support.Mailbox;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.totp.TotpService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static dev.totplogin.support.Mailbox.linkIn;
import static dev.totplogin.support.Mailbox.pathOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A forgotten password, through the outbox (the SMTP journey is {@code MailDeliveryIT}):
 * the link proves the mailbox, the code proves the account, and nothing in between signs
 * anyone in or tells whether an address exists.
 */
@MockMvcAppTest
@Import(CountingStatements.Configuration.class)
class PasswordResetTests {

	private static final String NEW_PASSWORD = "lantern orbit cellar tulip";

	private static int people;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private TotpService totp;

	@Test
	void resetWhenLinkAndCodeThenNewPasswordWorksNobodyIsSignedInAndOtherSessionsEnd() throws Exception {
		Person owner = verifiedPerson();
		Person browser = owner.anotherBrowser();
		String link = requestReset(browser, owner.email());
		assertThat(link).startsWith("http://localhost:8080/password/reset?token=");
		browser.get(pathOf(link)).andExpect(redirectedUrl("/password/reset"));
		browser.get("/account").andExpect(redirectedUrl("/login"));
		browser.get("/password/reset").andExpect(status().isOk()).andExpect(content().string(containsString("code")));

		this.clock.advance(Duration.ofSeconds(30));
		browser
			.post("/password/reset", "code", owner.currentCode(), "newPassword", NEW_PASSWORD, "confirmPassword",
					NEW_PASSWORD)
			.andExpect(redirectedUrl("/login"))
			.andExpect(flash().attribute("info", "password.reset.done"));

		browser.get("/account").andExpect(redirectedUrl("/login"));
		owner.get("/").andExpect(redirectedUrl("/login"));
		owner.signIn().andExpect(redirectedUrl("/login"));
		owner.signIn(NEW_PASSWORD).andExpect(redirectedUrl("/verify-2fa"));
		assertThat(new Mailbox(this.jdbc).awaitMessage(owner.email(), 3)).contains("was reset")
			.doesNotContain(NEW_PASSWORD)
			.doesNotContain("token=");
		assertThat(events(owner)).contains("PASSWORD_RESET");
		browser.get(pathOf(link)).andExpect(status().isOk()).andExpect(content().string(containsString("doesn")));
	}

	@Test
	void resetWhenThisBrowserWasTrustedThenTheNextSignInAsksForACodeAgain() throws Exception {
		Person owner = verifiedPerson();
		this.clock.advance(Duration.ofSeconds(30));
		owner.signIn();
		owner
			.perform(MockMvcRequestBuilders.post("/verify-2fa")
				.param("code", owner.currentCode())
				.param("rememberBrowser", "true"))
			.andExpect(redirectedUrl("/"));
		assertThat(owner.cookie("TRUSTED_BROWSER")).isNotNull();

		String link = requestReset(owner, owner.email());
		owner.get(pathOf(link)).andExpect(redirectedUrl("/password/reset"));
		this.clock.advance(Duration.ofSeconds(30));
		owner
			.post("/password/reset", "code", owner.currentCode(), "newPassword", NEW_PASSWORD, "confirmPassword",
					NEW_PASSWORD)
			.andExpect(redirectedUrl("/login"));
		this.clock.advance(Duration.ofSeconds(30));
		owner.signIn(NEW_PASSWORD).andExpect(redirectedUrl("/verify-2fa"));
		owner.get("/verify-2fa").andExpect(status().isOk());
	}

	@Test
	void resetWhenNoCodeOrAReplayedCodeThenNothingChanges() throws Exception {
		Person owner = verifiedPerson();
		Person browser = owner.anotherBrowser();
		browser.get(pathOf(requestReset(browser, owner.email())));
		String hash = passwordHash(owner);
		browser.post("/password/reset", "code", "", "newPassword", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD)
			.andExpect(status().isOk());
		owner.signedInAgain();
		browser
			.post("/password/reset", "code", owner.currentCode(), "newPassword", NEW_PASSWORD, "confirmPassword",
					NEW_PASSWORD)
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("already been used")));
		assertThat(passwordHash(owner)).isEqualTo(hash);
	}

	@Test
	void resetWhenFiveWrongCodesThenLockedAndTheRightCodeRefusedToo() throws Exception {
		Person owner = verifiedPerson();
		Person browser = owner.anotherBrowser();
		browser.get(pathOf(requestReset(browser, owner.email())));
		for (int i = 0; i < 5; i++) {
			browser.post("/password/reset", "code", owner.wrongCode(), "newPassword", NEW_PASSWORD, "confirmPassword",
					NEW_PASSWORD);
		}
		this.clock.advance(Duration.ofSeconds(30));
		browser
			.post("/password/reset", "code", owner.currentCode(), "newPassword", NEW_PASSWORD, "confirmPassword",
					NEW_PASSWORD)
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Too many wrong codes")));
	}

	@Test
	void resetWhenWithARecoveryCodeThenItIsUsedUp() throws Exception {
		Person owner = verifiedPerson();
		Person browser = owner.anotherBrowser();
		browser.get(pathOf(requestReset(browser, owner.email())));
		browser
			.post("/password/reset", "code", owner.recoveryCodes().get(0), "newPassword", NEW_PASSWORD,
					"confirmPassword", NEW_PASSWORD)
			.andExpect(redirectedUrl("/login"));
		owner.signIn(NEW_PASSWORD);
		owner.post("/verify-2fa/recovery", "recoveryCode", owner.recoveryCodes().get(0))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("recovery code didn")));
	}

	@Test
	void linkWhenExpiredOrReplacedByANewerOneThenRefusedAndNothingChanged() throws Exception {
		Person owner = verifiedPerson();
		Person browser = owner.anotherBrowser();
		String first = requestReset(browser, owner.email());
		String second = requestReset(browser, owner.email());
		browser.get(pathOf(first)).andExpect(status().isOk()).andExpect(content().string(containsString("doesn")));
		this.clock.advance(Duration.ofMinutes(30).plusSeconds(1));
		browser.get(pathOf(second)).andExpect(status().isOk()).andExpect(content().string(containsString("doesn")));
		for (String odd : List.of("", "abc", "%00", "x".repeat(10_000), "<script>", "../../etc")) {
			browser.perform(MockMvcRequestBuilders.get("/password/reset").param("token", odd))
				.andExpect(status().isOk())
				.andExpect(content().string(containsString("doesn")));
		}
		browser.get("/password/reset").andExpect(status().isOk()).andExpect(content().string(containsString("doesn")));
	}

	@Test
	void passwordChangeWhenMadeAfterTheLinkWasSentThenTheLinkIsVoid() throws Exception {
		Person owner = verifiedPerson();
		String link = requestReset(owner.anotherBrowser(), owner.email());
		this.clock.advance(Duration.ofSeconds(30));
		owner
			.post("/account/password", "currentPassword", TestAccounts.PASSWORD, "code", owner.currentCode(),
					"newPassword", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD)
			.andExpect(redirectedUrl("/account#password"));
		owner.anotherBrowser()
			.get(pathOf(link))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("doesn")));
	}

	/**
	 * An account that never finished enrollment resets with the link alone; twenty at
	 * once: exactly one reset.
	 */
	@Test
	void resetWhenTwentyRequestsUseOneTokenAtOnceThenExactlyOneResets() throws Exception {
		Person owner = new Person(this.mvc, this.clock).withEmail("unenrolled" + (++people) + "@example.com");
		owner.register();
		verify(owner, new Mailbox(this.jdbc).awaitMessage(owner.email(), 1));
		String link = requestReset(owner.anotherBrowser(), owner.email());
		List<Person> browsers = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			Person browser = owner.anotherBrowser();
			browser.get(pathOf(link)).andExpect(redirectedUrl("/password/reset"));
			browsers.add(browser);
		}
		ExecutorService pool = Executors.newFixedThreadPool(20);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<MvcResult>> results = new ArrayList<>();
			for (Person browser : browsers) {
				results.add(pool.submit(() -> {
					start.await();
					return browser.post("/password/reset", "newPassword", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD)
						.andReturn();
				}));
			}
			start.countDown();
			int resets = 0;
			for (Future<MvcResult> result : results) {
				if ("/login".equals(result.get().getResponse().getRedirectedUrl())) {
					resets++;
				}
			}
			assertThat(resets).isOne();
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(events(owner).stream().filter("PASSWORD_RESET"::equals)).hasSize(1);
		owner.signIn(NEW_PASSWORD).andExpect(redirectedUrl("/setup-2fa"));
	}

	/**
	 * ASVS 5.0 6.3.8: an unknown address and a real one get the same page and status, and
	 * the same work in the request (so the same time): the same statements, counted,
	 * since a ratio of times is one a busy machine can break. The lookup and the mail
	 * happen in the background.
	 */
	@Test
	void forgotWhenUnknownOrRealAddressThenSameAnswerAndSameWork() throws Exception {
		Person owner = verifiedPerson();
		Person visitor = owner.anotherBrowser();
		String real = visitor.post("/password/forgot", "email", owner.email())
			.andExpect(redirectedUrl("/password/forgot"))
			.andReturn()
			.getFlashMap()
			.toString();
		String unknown = visitor.post("/password/forgot", "email", "nobody" + (++people) + "@example.com")
			.andExpect(redirectedUrl("/password/forgot"))
			.andReturn()
			.getFlashMap()
			.toString();
		assertThat(unknown).isEqualTo(real);

		for (int i = 0; i < 5; i++) {
			int realStatements = statementsOf(visitor, owner.email());
			int unknownStatements = statementsOf(visitor, "nobody-" + i + "@example.com");
			assertThat(unknownStatements).as("statements in the request, unknown vs real address")
				.isEqualTo(realStatements)
				.isPositive();
		}
	}

	@Test
	void forgotWhenTheHostHeaderIsForeignThenTheLinkStillComesFromConfiguration() throws Exception {
		Person owner = verifiedPerson();
		owner.anotherBrowser()
			.perform(MockMvcRequestBuilders.post("/password/forgot")
				.param("email", owner.email())
				.header("Host", "evil.example")
				.header("X-Forwarded-Host", "evil.example"))
			.andExpect(redirectedUrl("/password/forgot"));
		String message = new Mailbox(this.jdbc).awaitMessage(owner.email(), 2);
		assertThat(linkIn(message)).startsWith("http://localhost:8080/password/reset?token=");
		assertThat(message).doesNotContain("evil.example");
	}

	/**
	 * After an operator removed the second factor, the mailbox alone would do: no reset
	 * by mail then.
	 */
	@Test
	void resetWhenAnOperatorRemovedTheSecondFactorThenNeitherAnOldNorANewLinkWorks() throws Exception {
		Person owner = verifiedPerson();
		String link = requestReset(owner.anotherBrowser(), owner.email());
		long id = this.jdbc.queryForObject("select id from account where username = ?", Long.class, owner.username());
		this.totp.reset(id);
		owner.anotherBrowser().get(pathOf(link)).andExpect(content().string(containsString("doesn")));
		int before = new Mailbox(this.jdbc).messagesTo(owner.email()).size();
		owner.anotherBrowser()
			.post("/password/forgot", "email", owner.email())
			.andExpect(redirectedUrl("/password/forgot"));
		await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
		assertThat(new Mailbox(this.jdbc).messagesTo(owner.email())).hasSize(before);
	}

	/**
	 * An address of 254 characters is asked for like any other, and its request is done
	 * with at once.
	 */
	@Test
	void forgotWhenTheAddressIsAsLongAsAllowedThenAnsweredAndHandledLikeAnyOther() throws Exception {
		String longest = "a".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(57) + ".org";
		assertThat(longest).hasSize(254);
		new Person(this.mvc, this.clock).post("/password/forgot", "email", longest)
			.andExpect(redirectedUrl("/password/forgot"));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.queryForObject(
					"select count(*) from scheduled_tasks where task_name = 'password-reset-request'",
					Integer.class) == 0);
	}

	private int statementsOf(Person visitor, String email) throws Exception {
		int before = CountingStatements.onThisThread();
		visitor.post("/password/forgot", "email", email).andExpect(redirectedUrl("/password/forgot"));
		return CountingStatements.onThisThread() - before;
	}

	/** Signed up with an address, and the address verified through its link. */
	private Person verifiedPerson() throws Exception {
		Person person = new Person(this.mvc, this.clock).withEmail("person" + (++people) + "@example.com").signedUp();
		verify(person, new Mailbox(this.jdbc).awaitMessage(person.email(), 1));
		return person;
	}

	private void verify(Person person, String message) throws Exception {
		String link = linkIn(message);
		person.get(pathOf(link)).andExpect(status().isOk());
		person.post("/email/verify", "token", link.substring(link.indexOf("token=") + 6))
			.andExpect(flash().attribute("info", "email.verify.done"));
	}

	private String requestReset(Person browser, String email) throws Exception {
		int before = new Mailbox(this.jdbc).messagesTo(email).size();
		browser.post("/password/forgot", "email", email).andExpect(redirectedUrl("/password/forgot"));
		return linkIn(new Mailbox(this.jdbc).awaitMessage(email, before + 1));
	}

	private String passwordHash(Person person) {
		return this.jdbc.queryForObject("select password_hash from account where username = ?", String.class,
				person.username());
	}

	private List<String> events(Person person) {
		return TestAccounts.eventsOf(this.jdbc, person.username());
	}

}
