package dev.totplogin.settings;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

/**
 * What the account page says after an action: the message inside the section the person
 * acted in (where the redirect scrolls), the sign-in before this one, and every date and
 * time in one format with its zone.
 */
@MockMvcAppTest
class AccountPageMessagesTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Test
	void messagesWhenActionsSucceedThenEachIsInsideItsSectionAndNotAtTheTop() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/confirm", "code", person.currentCode())
			.andExpect(redirectedUrl("/account#confirm"))
			.andExpect(flash().attribute("messageSection", "confirm"));
		assertMessageIn(person, "confirm", "Confirmed: for now, this page needs no code.");

		person.post("/account/sessions", "code", "")
			.andExpect(redirectedUrl("/account#sessions"))
			.andExpect(flash().attribute("info", "account.otherSessionsEnded"));
		assertMessageIn(person, "sessions", "Your other sessions have been signed out.");

		person.post("/account/trusted-browsers/forget-all").andExpect(redirectedUrl("/account#trusted-browsers"));
		assertMessageIn(person, "trusted-browsers", "Every browser will ask for a code again.");

		person.post("/account/recovery-codes", "code", "").andExpect(redirectedUrl("/recovery-codes"));
		person.post("/recovery-codes/saved").andExpect(redirectedUrl("/account#recovery-codes"));
		assertMessageIn(person, "recovery-codes", "Your new recovery codes are saved; the old ones no longer work.");

		person
			.post("/account/password", "currentPassword", TestAccounts.PASSWORD, "newPassword",
					"an entirely new passphrase", "confirmPassword", "an entirely new passphrase", "code", "")
			.andExpect(redirectedUrl("/account#password"));
		assertMessageIn(person, "password", "Your password has been changed.");
	}

	@Test
	void messagesWhenEmailChangedOrResentThenInsideTheEmailSection() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person
			.post("/account/email", "email", person.username() + "@example.com", "currentPassword",
					TestAccounts.PASSWORD, "code", person.currentCode())
			.andExpect(redirectedUrl("/account#email"));
		assertMessageIn(person, "email", "We have sent a confirmation link to the new address.");
		person.post("/account/email/resend").andExpect(redirectedUrl("/account#email"));
		assertMessageIn(person, "email", "We have sent a confirmation link to the new address.");
	}

	@Test
	void messagesWhenAListActionNeedsProofFirstThenTheAlertIsInTheConfirmSection() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		person.post("/account/trusted-browsers/forget-all").andExpect(redirectedUrl("/account#confirm"));
		assertMessageIn(person, "confirm", "First confirm it");
	}

	@Test
	void lastSignInWhenSignedInAgainThenThePreviousSignInIsShownNotThisOne() throws Exception {
		// A clock with nanoseconds that the database rounds down to the microsecond.
		this.clock.set(this.clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).plusNanos(400));
		Person person = new Person(this.mvc, this.clock).signedUp();
		Instant enrolled = this.clock.instant();
		assertThat(lastSignIn(person)).isEqualTo("None before this one");
		this.clock.advance(Duration.ofHours(3));
		person.post("/logout");
		person.signedInAgain();
		assertThat(lastSignIn(person)).startsWith(dateTime(enrolled) + ", from ")
			.doesNotContain(dateTime(this.clock.instant()));

		// A code confirmed on the page, and a sign-in elsewhere since: neither is the
		// sign-in before this one.
		// Within the idle timeout (30 minutes).
		this.clock.advance(Duration.ofMinutes(20));
		person.post("/account/confirm", "code", person.currentCode());
		person.anotherBrowser().signedInAgain();
		assertThat(lastSignIn(person)).startsWith(dateTime(enrolled) + ", from ");
	}

	@Test
	void lastSignInWhenACodeWasConfirmedOnTheAccountPageInTheSessionBeforeThenThatSessionsSignInIsShown()
			throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofHours(1));
		person.post("/logout");
		person.signedInAgain();
		Instant signedIn = this.clock.instant();
		// Ten minutes later, within the idle timeout, a code confirmed on the page: a
		// proof, not a sign-in.
		this.clock.advance(Duration.ofMinutes(10));
		person.post("/account/confirm", "code", person.currentCode());
		Instant confirmed = this.clock.instant();
		this.clock.advance(Duration.ofMinutes(10));
		person.post("/logout");
		person.signedInAgain();
		assertThat(lastSignIn(person)).startsWith(dateTime(signedIn) + ", from ")
			.doesNotContain(dateTime(confirmed))
			.doesNotContain(dateTime(this.clock.instant()));
	}

	@Test
	void datesWhenTheAccountPageIsShownThenEveryOneInTheSameFormatWithItsZone() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		String page = person.get("/account").andReturn().getResponse().getContentAsString();
		String status = section(page, "status");
		Matcher dateTimes = Pattern.compile("\\d{1,2} [A-Z][a-z]+ \\d{4}, \\d\\d:\\d\\d UTC").matcher(status);
		assertThat(dateTimes.results().count()).as("enrolled, created").isGreaterThanOrEqualTo(2);
		assertThat(page).doesNotContain("data-local");
		String events = section(page, "recent-events");
		assertThat(events).containsPattern("\\d{1,2} [A-Z][a-z]+ \\d{4}, \\d\\d:\\d\\d UTC")
			.doesNotContainPattern("\\d\\d:\\d\\d:\\d\\d")
			.doesNotContainPattern("\\d{1,2} [A-Z][a-z]{2} \\d{4} ");
	}

	@Test
	void browsersWhenThePageIsInGermanThenTheirLabelsAreToo() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		String page = this.mvc.perform(get("/account").session(person.session()).header("Accept-Language", "de"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(section(page, "recent-events")).contains("Unbekannt").doesNotContain("Unknown");
	}

	private void assertMessageIn(Person person, String section, String text) throws Exception {
		String page = person.get("/account").andReturn().getResponse().getContentAsString();
		String inSection = section(page, section);
		assertThat(inSection).as("the message in #" + section).contains("section-message").contains(text);
		assertThat(page.substring(0, page.indexOf("id=\"status\""))).as("nothing at the top of the page")
			.doesNotContain("alert-success")
			.doesNotContain("alert-danger");
	}

	private String lastSignIn(Person person) throws Exception {
		String page = person.get("/account").andReturn().getResponse().getContentAsString();
		Matcher matcher = Pattern.compile("id=\"last-sign-in\">([^<]*)<").matcher(page);
		assertThat(matcher.find()).isTrue();
		return matcher.group(1).replace("&#39;", "'");
	}

	/** The HTML of one card of the account page, from its id to the next card. */
	static String section(String page, String id) {
		int start = page.indexOf("id=\"" + id + "\"");
		assertThat(start).as("section " + id).isNotNegative();
		int end = page.indexOf("<div class=\"card card-body", start);
		return page.substring(start, (end < 0) ? page.length() : end);
	}

	private static String dateTime(Instant instant) {
		return DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
			.withZone(ZoneOffset.UTC)
			.format(instant);
	}

}
