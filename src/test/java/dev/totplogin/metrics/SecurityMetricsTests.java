package dev.totplogin.metrics;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

import dev.totplogin.support.Mailbox;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static dev.totplogin.support.Mailbox.linkIn;
import static dev.totplogin.support.Mailbox.pathOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The counters move with the sign-in flows as a person drives them, read from the
 * application's meter registry; the gauges read the database at most once per
 * {@link StateGauges#REUSE}; no label value is anything but a fixed word.
 */
@MockMvcAppTest
class SecurityMetricsTests {

	/** Every label and its possible values: nothing else may appear. */
	private static final Map<String, Set<String>> ALLOWED = Map.of("step",
			Set.of("password", "totp", "recovery", "webauthn", "trusted_browser"), "result",
			Set.of("ok", "wrong", "replayed", "locked", "busy", "disabled"), "kind",
			Set.of("password", "second_factor", "client"), "stage", Set.of("requested", "completed"), "operation",
			Set.of("check", "new"));

	private static int people;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void passwordStepWhenRightWrongUnknownAndLockedThenEachResultCounted() throws Exception {
		// An address of its own: no other test's failures count against it.
		Person person = new Person(this.mvc, this.clock).from("198.51.100.31").signedUp();
		Counts before = counts();
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		person.signIn("not the password").andExpect(redirectedUrl("/login"));
		new Person(this.mvc, this.clock, "nobody-" + person.username()).from("198.51.100.32")
			.signIn()
			.andExpect(redirectedUrl("/login"));
		assertThat(counts().minus(before))
			.containsExactlyInAnyOrderEntriesOf(Map.of("signin password ok", 1.0, "signin password wrong", 2.0));

		Counts beforeLock = counts();
		for (int i = 2; i <= 10; i++) {
			person.signIn("not the password " + i).andExpect(redirectedUrl("/login"));
		}
		person.signIn().andExpect(redirectedUrl("/login"));
		assertThat(counts().minus(beforeLock)).containsExactlyInAnyOrderEntriesOf(
				Map.of("signin password wrong", 9.0, "signin password locked", 1.0, "lockouts password", 1.0));
	}

	@Test
	void passwordStepWhenTheAccountIsDisabledThenCountedAsDisabledNotOk() throws Exception {
		Person person = new Person(this.mvc, this.clock).from("198.51.100.33").signedUp();
		this.jdbc.update("update account set disabled_at = current_timestamp where username = ?", person.username());
		Counts before = counts();
		person.signIn().andExpect(redirectedUrl("/login"));
		assertThat(counts().minus(before)).containsExactlyInAnyOrderEntriesOf(Map.of("signin password disabled", 1.0));
	}

	@Test
	void codeStepWhenRightWrongReplayedAndLockedThenEachResultCounted() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		Person other = person.anotherBrowser();
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		other.signIn().andExpect(redirectedUrl("/verify-2fa"));
		Counts before = counts();
		String code = person.currentCode();
		person.code(code).andExpect(redirectedUrl("/"));
		other.code(code).andExpect(status().isOk());
		for (int i = 0; i < 4; i++) {
			other.code(other.wrongCode()).andExpect(status().isOk());
		}
		other.code(other.currentCode()).andExpect(status().isOk());
		assertThat(counts().minus(before))
			.containsExactlyInAnyOrderEntriesOf(Map.of("signin totp ok", 1.0, "signin totp replayed", 1.0,
					"signin totp wrong", 4.0, "lockouts second_factor", 1.0, "signin totp locked", 1.0));
	}

	@Test
	void recoveryWhenWrongRightAndLockedThenEachResultAndTheCodeUsedCounted() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		Counts before = counts();
		person.post("/verify-2fa/recovery", "recoveryCode", "aaaaa-aaaaa").andExpect(status().isOk());
		person.post("/verify-2fa/recovery", "recoveryCode", person.recoveryCodes().get(0))
			.andExpect(redirectedUrl("/"));
		assertThat(counts().minus(before)).containsExactlyInAnyOrderEntriesOf(
				Map.of("signin recovery wrong", 1.0, "signin recovery ok", 1.0, "recovery codes used", 1.0));

		Person again = person.anotherBrowser();
		again.signIn().andExpect(redirectedUrl("/verify-2fa"));
		Counts beforeLock = counts();
		for (int i = 0; i < 5; i++) {
			again.post("/verify-2fa/recovery", "recoveryCode", "bbbbb-bbbb" + i).andExpect(status().isOk());
		}
		again.post("/verify-2fa/recovery", "recoveryCode", person.recoveryCodes().get(1)).andExpect(status().isOk());
		assertThat(counts().minus(beforeLock)).containsExactlyInAnyOrderEntriesOf(
				Map.of("signin recovery wrong", 5.0, "lockouts second_factor", 1.0, "signin recovery locked", 1.0));
	}

	@Test
	void trustedBrowserWhenItStandsInForTheCodeThenCounted() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		person
			.perform(MockMvcRequestBuilders.post("/verify-2fa")
				.param("code", person.currentCode())
				.param("rememberBrowser", "true"))
			.andExpect(redirectedUrl("/"));
		Counts before = counts();
		assertThat(person.signInOnThisBrowser()).isEqualTo("/");
		assertThat(counts().minus(before))
			.containsExactlyInAnyOrderEntriesOf(Map.of("signin password ok", 1.0, "signin trusted_browser ok", 1.0));
	}

	@Test
	void passwordResetWhenRequestedForAnyAddressAndCompletedThenBothCounted() throws Exception {
		Person owner = new Person(this.mvc, this.clock).withEmail("metrics" + (++people) + "@example.com").signedUp();
		String verify = linkIn(new Mailbox(this.jdbc).awaitMessage(owner.email(), 1));
		owner.get(pathOf(verify)).andExpect(status().isOk());
		owner.post("/email/verify", "token", verify.substring(verify.indexOf("token=") + 6))
			.andExpect(flash().attribute("info", "email.verify.done"));
		Person browser = owner.anotherBrowser();
		Counts before = counts();
		browser.post("/password/forgot", "email", "nobody" + people + "@example.com")
			.andExpect(redirectedUrl("/password/forgot"));
		browser.post("/password/forgot", "email", owner.email()).andExpect(redirectedUrl("/password/forgot"));
		String link = linkIn(new Mailbox(this.jdbc).awaitMessage(owner.email(), 2));
		browser.get(pathOf(link)).andExpect(redirectedUrl("/password/reset"));
		this.clock.advance(Duration.ofSeconds(30));
		String newPassword = "a completely new passphrase";
		browser
			.post("/password/reset", "code", owner.currentCode(), "newPassword", newPassword, "confirmPassword",
					newPassword)
			.andExpect(redirectedUrl("/login"));
		assertThat(counts().minus(before)).containsEntry("password resets requested", 2.0)
			.containsEntry("password resets completed", 1.0)
			.containsEntry("signin totp ok", 1.0);
	}

	@Test
	void outboxGaugesWhenAMessageWaitsThenDepthAndAgeReadOncePerInterval() {
		this.clock.advance(StateGauges.REUSE);
		double depth = gauge("totplogin.mail.outbox.depth");
		long id = waitingMessage(Duration.ofMinutes(15));
		try {
			assertThat(gauge("totplogin.mail.outbox.depth")).as("reused within the interval").isEqualTo(depth);
			this.clock.advance(StateGauges.REUSE);
			assertThat(gauge("totplogin.mail.outbox.depth")).isEqualTo(depth + 1);
			assertThat(gauge("totplogin.mail.outbox.oldest.age"))
				.isGreaterThanOrEqualTo(Duration.ofMinutes(15).plus(StateGauges.REUSE).toSeconds());
		}
		finally {
			this.jdbc.update("delete from mail_outbox where id = ?", id);
		}
	}

	@Test
	void sessionsGaugeWhenSomeoneSignsInThenOneMoreAfterTheInterval() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(StateGauges.REUSE);
		double before = gauge("totplogin.sessions.signed.in");
		person.signedInAgain();
		this.clock.advance(StateGauges.REUSE);
		assertThat(gauge("totplogin.sessions.signed.in")).isEqualTo(before + 1);
	}

	@Test
	void labelsWhenPeopleHaveSignedInFromAnAddressThenEveryValueIsFromTheFixedList() throws Exception {
		Person person = new Person(this.mvc, this.clock).from("203.0.113.7").signedUp();
		person.signIn("wrong").andExpect(redirectedUrl("/login"));
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		assertThat(this.registry.getMeters()).filteredOn((meter) -> meter.getId().getName().startsWith("totplogin."))
			.hasSizeGreaterThanOrEqualTo(25)
			.allSatisfy((meter) -> {
				for (Tag tag : meter.getId().getTags()) {
					assertThat(ALLOWED).as("label of %s", meter.getId().getName()).containsKey(tag.getKey());
					assertThat(ALLOWED.get(tag.getKey())).as("value of %s", tag.getKey()).contains(tag.getValue());
					assertThat(tag.getValue()).doesNotContain(person.username(), "203.0.113");
				}
			});
	}

	private long waitingMessage(Duration age) {
		// Whole milliseconds: the database rounds what is finer (up, at times), which
		// would
		// make the message a fraction younger than asked.
		Timestamp written = Timestamp.from(this.clock.instant().truncatedTo(ChronoUnit.MILLIS).minus(age));
		this.jdbc.update("insert into mail_outbox (recipient, subject, text_body, html_body, created_at) "
				+ "values ('metrics@example.com', 'waiting', '', '', ?)", written);
		return this.jdbc.queryForObject("select max(id) from mail_outbox where recipient = 'metrics@example.com'",
				Long.class);
	}

	private double gauge(String name) {
		return this.registry.get(name).gauge().value();
	}

	/** Every totplogin counter, as "name labels" to its count. */
	private Counts counts() {
		Counts counts = new Counts();
		for (Meter meter : this.registry.getMeters()) {
			String name = meter.getId().getName();
			if (name.startsWith("totplogin.") && meter.getId().getType() == Meter.Type.COUNTER) {
				StringBuilder key = new StringBuilder(name.substring("totplogin.".length()).replace('.', ' '));
				if (name.equals("totplogin.signin.attempts")) {
					key.setLength(0);
					key.append("signin ")
						.append(meter.getId().getTag("step"))
						.append(' ')
						.append(meter.getId().getTag("result"));
				}
				else {
					meter.getId().getTags().forEach((tag) -> key.append(' ').append(tag.getValue()));
				}
				counts.put(key.toString(), meter.measure().iterator().next().getValue());
			}
		}
		return counts;
	}

	private static final class Counts extends java.util.TreeMap<String, Double> {

		/** What moved since {@code before}. */
		Map<String, Double> minus(Counts before) {
			Map<String, Double> moved = new java.util.TreeMap<>();
			forEach((key, value) -> {
				double delta = value - before.getOrDefault(key, 0.0);
				if (delta != 0) {
					moved.put(key, delta);
				}
			});
			return moved;
		}

	}

}
