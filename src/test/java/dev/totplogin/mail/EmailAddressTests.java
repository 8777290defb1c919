package dev.totplogin.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.totplogin.support.Mailbox;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static dev.totplogin.support.Mailbox.linkIn;
import static dev.totplogin.support.Mailbox.pathOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The account's address: verified through its link, one verified address per account,
 * notices about changes.
 */
@MockMvcAppTest
class EmailAddressTests {

	private static int people;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void verificationLinkWhenOpenedThenOnlyAButtonAndTheButtonVerifies() throws Exception {
		Person person = new Person(this.mvc, this.clock).withEmail(address()).signedUp();
		String link = linkIn(new Mailbox(this.jdbc).awaitMessage(person.email(), 1));
		person.get(pathOf(link))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("confirm-email")));
		assertThat(verifiedAt(person)).as("a link scanner's GET verifies nothing").isNull();
		person.post("/email/verify", "token", tokenOf(link))
			.andExpect(redirectedUrl("/account#email"))
			.andExpect(flash().attribute("info", "email.verify.done"));
		assertThat(verifiedAt(person)).isNotNull();
		person.get("/account").andExpect(content().string(containsString(person.email() + " (confirmed)")));
		person.post("/email/verify", "token", tokenOf(link))
			.andExpect(flash().attribute("alert", "email.verify.invalid"));
	}

	@Test
	void registrationWhenTheAddressIsVerifiedByAnotherAccountThenLooksTheSameItsOwnerGetsANoticeAndNoAddressKept()
			throws Exception {
		Person owner = verified(new Person(this.mvc, this.clock).withEmail(address()).signedUp());
		Person second = new Person(this.mvc, this.clock).withEmail(owner.email().toUpperCase());
		second.register();
		assertThat(this.jdbc.queryForObject("select email from account where username = ?", String.class,
				second.username()))
			.isNull();
		String notice = new Mailbox(this.jdbc).awaitMessage(owner.email(), 2);
		assertThat(notice).contains("Someone entered this email address for another account here")
			.doesNotContain("token=");

		Person third = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		third
			.post("/account/email", "currentPassword", TestAccounts.PASSWORD, "code", third.currentCode(), "email",
					owner.email())
			.andExpect(redirectedUrl("/account#email"));
		// The page looks as for a free address: a link waits for confirmation.
		third.get("/account").andExpect(content().string(containsString("Waiting for confirmation: " + owner.email())));
		assertThat(new Mailbox(this.jdbc).awaitMessage(owner.email(), 3))
			.contains("Someone entered this email address for another account here");
	}

	@Test
	void changeWhenTheAddressIsAnotherAccountsThenTheRequesterSeesAndIsMailedWhatAFreeAddressGets() throws Exception {
		Person owner = verified(new Person(this.mvc, this.clock).withEmail(address()).signedUp());
		Person requester = verified(new Person(this.mvc, this.clock).withEmail(address()).signedUp());
		Person unverified = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		String taken = owner.email();
		String free = address();
		List<String> mailsToRequester = new ArrayList<>();
		List<String> statusLines = new ArrayList<>();
		for (String target : List.of(taken, free)) {
			requester
				.post("/account/email", "currentPassword", TestAccounts.PASSWORD, "code", requester.currentCode(),
						"email", target)
				.andExpect(redirectedUrl("/account#email"));
			// When it was asked differs by the 30 s between the two.
			mailsToRequester.add(new Mailbox(this.jdbc).awaitMessage(requester.email(), mailsToRequester.size() + 2)
				.replace(target, "TARGET")
				.replaceAll("\\d{1,2} [A-Z][a-z]+ \\d{4}, \\d\\d:\\d\\d(:\\d\\d)?", "WHEN"));
			unverified
				.post("/account/email", "currentPassword", TestAccounts.PASSWORD, "code", unverified.currentCode(),
						"email", target)
				.andExpect(redirectedUrl("/account#email"));
			statusLines.add(emailStatus(unverified).replace(target, "TARGET"));
			this.clock.advance(Duration.ofSeconds(30));
		}
		// The requester's own address is told of both requests alike, and an account
		// without a confirmed address shows the one it asked for alike: nothing tells a
		// taken address from a free one.
		assertThat(mailsToRequester.get(0)).contains("A new email address was entered")
			.isEqualTo(mailsToRequester.get(1));
		assertThat(statusLines.get(0)).isEqualTo("TARGET (not confirmed yet)").isEqualTo(statusLines.get(1));
		// The taken address is still never kept by another account.
		assertThat(this.jdbc.queryForObject("select count(*) from account where lower(email) = lower(?)", Integer.class,
				taken))
			.isEqualTo(1);
	}

	@Test
	void changeWhenRequestedThenTheOldAddressStaysUntilTheNewIsVerifiedAndGetsNotices() throws Exception {
		Person person = verified(new Person(this.mvc, this.clock).withEmail(address()).signedUp());
		String old = person.email();
		String next = address();
		this.clock.advance(Duration.ofSeconds(30));
		person
			.post("/account/email", "currentPassword", TestAccounts.PASSWORD, "code", person.currentCode(), "email",
					next)
			.andExpect(redirectedUrl("/account#email"));
		assertThat(currentEmail(person)).isEqualTo(old);
		assertThat(new Mailbox(this.jdbc).awaitMessage(old, 2)).contains("A new email address was entered");
		person.get("/account").andExpect(content().string(containsString("Waiting for confirmation: " + next)));

		person.post("/email/verify", "token", tokenOf(linkIn(new Mailbox(this.jdbc).awaitMessage(next, 1))));
		assertThat(currentEmail(person)).isEqualTo(next);
		assertThat(new Mailbox(this.jdbc).awaitMessage(old, 3)).contains("Your account now uses another email address");
	}

	@Test
	void changeWhenWithoutFreshProofOrWithBadInputThenRefusedAndNothingSent() throws Exception {
		Person person = verified(new Person(this.mvc, this.clock).withEmail(address()).signedUp());
		int before = this.jdbc.queryForObject("select count(*) from mail_outbox", Integer.class);
		for (Map<String, String> form : List.of(
				Map.of("currentPassword", "wrong", "code", "000000", "email", address()),
				Map.of("currentPassword", TestAccounts.PASSWORD, "code", "", "email", address()),
				Map.of("currentPassword", TestAccounts.PASSWORD, "code", "123456", "email", "two@@example.com"),
				Map.of("currentPassword", TestAccounts.PASSWORD, "code", "123456", "email", "x".repeat(10_000)),
				Map.of("currentPassword", TestAccounts.PASSWORD, "code", "123456", "email", "a@b.c\u0000"),
				Map.of("currentPassword", TestAccounts.PASSWORD, "code", "123456", "email", "<b>@example.com"))) {
			person
				.postRefused("/account/email", "currentPassword", form.get("currentPassword"), "code", form.get("code"),
						"email", form.get("email"))
				.andExpect(status().isOk());
		}
		assertThat(this.jdbc.queryForObject("select count(*) from mail_outbox", Integer.class)).isEqualTo(before);
	}

	/**
	 * Issue 27, finding 4: at most 5 new addresses an hour per account; past that a clear
	 * message in the email section, nothing changed and no mail.
	 */
	@Test
	void changeWhenMadeMoreThanFiveTimesInAnHourThenRefusedInTheEmailSectionNothingChangedAndNoMail() throws Exception {
		atTheStartOfAnHour();
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		String last = null;
		for (int i = 0; i < 5; i++) {
			last = address();
			person
				.post("/account/email", "currentPassword", TestAccounts.PASSWORD, "code",
						(i == 0) ? person.currentCode() : "", "email", last)
				.andExpect(redirectedUrl("/account#email"))
				.andExpect(flash().attribute("info", "account.email.sent"));
			// As a browser follows the redirect (and its message).
			person.get("/account");
		}
		int mails = outbox();
		String refused = address();
		person.postRefused("/account/email", "currentPassword", TestAccounts.PASSWORD, "code", "", "email", refused)
			.andExpect(content().string(matchesPattern("(?s).*id=\"email\".*id=\"ce-email-error\"[^>]*>"
					+ "Too many address changes for now: nothing was changed and no mail was sent.*")))
			.andExpect(content().string(containsString("Waiting for confirmation: " + last)));
		assertThat(outbox()).isEqualTo(mails);
		assertThat(new Mailbox(this.jdbc).messagesTo(refused)).isEmpty();
	}

	/**
	 * Issue 27, finding 4: at most 3 mails an hour to one address asked for, from any
	 * number of accounts, resends included, whether it is free or another account's
	 * (whose owner would otherwise get an "address in use" notice each time).
	 */
	@Test
	void changeWhenOneAddressIsAskedForByManyAccountsThenAtMostThreeMailsAnHourGoToItFreeOrInUse() throws Exception {
		atTheStartOfAnHour();
		Person owner = verified(new Person(this.mvc, this.clock).withEmail(address()).signedUp());
		String free = address();
		for (String target : List.of(owner.email(), free)) {
			int before = new Mailbox(this.jdbc).messagesTo(target).size();
			Person first = askFor(target);
			first.post("/account/email/resend").andExpect(flash().attribute("info", "account.email.sent"));
			Person second = askFor(target);
			second.post("/account/email/resend").andExpect(flash().attribute("alert", "account.email.tooMany"));
			Person third = new Person(this.mvc, this.clock).signedUp();
			this.clock.advance(Duration.ofSeconds(30));
			third
				.postRefused("/account/email", "currentPassword", TestAccounts.PASSWORD, "code", third.currentCode(),
						"email", target)
				.andExpect(content().string(containsString("Too many address changes for now")))
				.andExpect(content().string(not(containsString("Waiting for confirmation"))));
			new Mailbox(this.jdbc).awaitMessage(target, before + 3);
			assertThat(new Mailbox(this.jdbc).messagesTo(target)).hasSize(before + 3);
		}
	}

	@Test
	void notificationsWhenThePasswordChangesOrARecoveryCodeSignsInThenTheVerifiedAddressIsTold() throws Exception {
		Person person = verified(new Person(this.mvc, this.clock).withEmail(address()).signedUp());
		this.clock.advance(Duration.ofSeconds(30));
		person
			.post("/account/password", "currentPassword", TestAccounts.PASSWORD, "code", person.currentCode(),
					"newPassword", "lantern orbit cellar tulip", "confirmPassword", "lantern orbit cellar tulip")
			.andExpect(redirectedUrl("/account#password"));
		assertThat(new Mailbox(this.jdbc).awaitMessage(person.email(), 2))
			.contains("password of your account was changed")
			.contains("127.0.0.1")
			.doesNotContain("lantern orbit cellar tulip");
		person.signIn("lantern orbit cellar tulip");
		person.post("/verify-2fa/recovery", "recoveryCode", person.recoveryCodes().get(0))
			.andExpect(redirectedUrl("/"));
		assertThat(new Mailbox(this.jdbc).awaitMessage(person.email(), 3)).contains("9 recovery codes are left")
			.doesNotContain(person.recoveryCodes().get(0));
		person.signIn("lantern orbit cellar tulip");
		for (int i = 0; i < 5; i++) {
			person.code(person.wrongCode());
		}
		assertThat(new Mailbox(this.jdbc).awaitMessage(person.email(), 4))
			.contains("Someone who knows your password tried several wrong codes")
			.contains("change it now");
	}

	@Test
	void passwordChangeWhenAnAddressWaitsForConfirmationThenItStillWaitsAndItsLinkStillWorks() throws Exception {
		Person person = new Person(this.mvc, this.clock).withEmail(address()).signedUp();
		String link = linkIn(new Mailbox(this.jdbc).awaitMessage(person.email(), 1));
		this.clock.advance(Duration.ofSeconds(30));
		person
			.post("/account/password", "currentPassword", TestAccounts.PASSWORD, "code", person.currentCode(),
					"newPassword", "lantern orbit cellar tulip", "confirmPassword", "lantern orbit cellar tulip")
			.andExpect(redirectedUrl("/account#password"))
			.andExpect(flash().attribute("info", "account.passwordChanged"));
		person.get("/account")
			.andExpect(content().string(containsString("id=\"email-pending\"")))
			.andExpect(content().string(containsString("action=\"/account/email/resend\"")));
		person.post("/email/verify", "token", tokenOf(link)).andExpect(flash().attribute("info", "email.verify.done"));
		assertThat(verifiedAt(person)).isNotNull();
	}

	@Test
	void noticeWhenFiveWrongCodesCameWithAResetLinkThenItSpeaksOfTheMailboxNotThePassword() throws Exception {
		Person person = verified(new Person(this.mvc, this.clock).withEmail(address()).signedUp());
		Person stranger = new Person(this.mvc, this.clock, "anyone");
		stranger.post("/password/forgot", "email", person.email());
		stranger.get(pathOf(linkIn(new Mailbox(this.jdbc).awaitMessage(person.email(), 2))))
			.andExpect(redirectedUrl("/password/reset"));
		for (int i = 0; i < 5; i++) {
			stranger.post("/password/reset", "code", person.wrongCode(), "newPassword", "lantern orbit cellar tulip",
					"confirmPassword", "lantern orbit cellar tulip");
		}
		assertThat(new Mailbox(this.jdbc).awaitMessage(person.email(), 3))
			.contains("Someone with a password reset link for your account tried several wrong codes")
			.doesNotContain("knows your password");
	}

	/** A new account that asks for the address on the account page. */
	private Person askFor(String email) throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person
			.post("/account/email", "currentPassword", TestAccounts.PASSWORD, "code", person.currentCode(), "email",
					email)
			.andExpect(redirectedUrl("/account#email"))
			.andExpect(flash().attribute("info", "account.email.sent"));
		return person;
	}

	private int outbox() {
		return this.jdbc.queryForObject("select count(*) from mail_outbox", Integer.class);
	}

	private Person verified(Person person) throws Exception {
		String link = linkIn(new Mailbox(this.jdbc).awaitMessage(person.email(), 1));
		person.post("/email/verify", "token", tokenOf(link)).andExpect(flash().attribute("info", "email.verify.done"));
		return person;
	}

	private static String tokenOf(String link) {
		return link.substring(link.indexOf("token=") + 6);
	}

	private static String address() {
		return "mailbox" + (++people) + "-" + Long.toHexString(System.nanoTime() & 0xffffff) + "@example.com";
	}

	private Object verifiedAt(Person person) {
		return this.jdbc.queryForObject("select email_verified_at from account where username = ?", Object.class,
				person.username());
	}

	private String emailStatus(Person person) throws Exception {
		String page = person.get("/account").andReturn().getResponse().getContentAsString();
		Matcher matcher = Pattern.compile("id=\"email-status\">([^<]*)<").matcher(page);
		assertThat(matcher.find()).isTrue();
		return matcher.group(1);
	}

	private String currentEmail(Person person) {
		return this.jdbc.queryForObject("select email from account where username = ?", String.class,
				person.username());
	}

	/**
	 * The limits count in fixed hourly windows (RateLimits): a test of "n an hour" that
	 * crossed the top of an hour on the shared test clock would see its count start over.
	 */
	private void atTheStartOfAnHour() {
		long hour = Duration.ofHours(1).toMillis();
		this.clock.set(Instant.ofEpochMilli((this.clock.instant().toEpochMilli() / hour + 1) * hour).plusSeconds(60));
	}

}
