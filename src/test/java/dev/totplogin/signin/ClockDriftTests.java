package dev.totplogin.signin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.QrCodes;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * "Your phone's clock looks 3 minutes off": a code right at another time nearby is still
 * refused and counted, with a message that says why.
 */
@MockMvcAppTest
class ClockDriftTests {

	private static final Duration STEP = Duration.ofSeconds(30);

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void codeWhenFromAPhoneWhoseClockIsOffThenRefusedCountedAndTheOffsetNamed() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(STEP);
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		person.get("/verify-2fa").andExpect(content().string(containsString("Time on our server:")));

		expectMessage(person, 2,
				"would have been right about 1 minute from now: your phone&#39;s clock looks 1 minute off");
		expectMessage(person, 6, "would have been right about 3 minutes from now");
		expectMessage(person, -6, "would have been right about 3 minutes ago");
		expectMessage(person, -20,
				"would have been right about 10 minutes ago: your phone&#39;s clock looks 10 minutes off");
		// +21 steps is more than ten minutes: the plain message, and the fifth wrong
		// code.
		person.code(codeAt(person, 21))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Too many wrong codes")));

		List<String> details = this.jdbc.queryForList(
				"select e.detail from security_event e join account a on "
						+ "a.id = e.account_id where a.username = ? and e.event_type = 'CODE_FAILED' order by e.id",
				String.class, person.username());
		assertThat(details).hasSize(5);
		assertThat(details.get(0)).isEqualTo("code of +60 s: phone clock 60 s ahead");
		assertThat(details.get(3)).isEqualTo("code of -600 s: phone clock 600 s behind");
		assertThat(details.get(4)).isNull();
	}

	/**
	 * The hint names when a code from a phone that is ahead would be right: that code
	 * must never be accepted, or the hint would hand out codes to whoever has the
	 * password.
	 */
	@Test
	void codeWhenItsFutureStepWasNamedByTheHintThenRefusedWhenItsTimeComes() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(STEP);
		person.signIn();
		String ahead = codeAt(person, 6);
		person.code(ahead).andExpect(content().string(containsString("about 3 minutes from now")));
		this.clock.advance(STEP.multipliedBy(6));
		person.code(ahead)
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("That code has already been used.")));
		this.clock.advance(STEP);
		person.code(person.currentCode()).andExpect(redirectedUrl("/"));
	}

	@Test
	void codeWhenWithinTheAcceptedWindowThenNoHintNeeded() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(STEP);
		person.signIn();
		person.code(TestTotp.code(person.secret(), this.clock.instant().plus(STEP))).andExpect(redirectedUrl("/"));
	}

	@Test
	void setupWhenTheCodeIsFromAPhoneWhoseClockIsOffThenTheHintAndNothingCounted() throws Exception {
		Person person = new Person(this.mvc, this.clock).register();
		person.get("/setup-2fa").andExpect(content().string(containsString("Time on our server:")));
		byte[] png = person.get("/setup-2fa/qr.png").andReturn().getResponse().getContentAsByteArray();
		String secret = QrCodes.secretOf(QrCodes.decode(png));
		for (int i = 0; i < 6; i++) {
			person.post("/setup-2fa", "code", TestTotp.code(secret, this.clock.instant().plus(STEP.multipliedBy(8))))
				.andExpect(status().isOk())
				.andExpect(content().string(containsString("about 4 minutes from now")));
		}
		person.post("/setup-2fa", "code", TestTotp.code(secret, this.clock.instant()))
			.andExpect(redirectedUrl("/recovery-codes"));
	}

	private void expectMessage(Person person, int steps, String message) throws Exception {
		person.code(codeAt(person, steps))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(message)));
	}

	private String codeAt(Person person, int steps) {
		Instant at = this.clock.instant().plus(STEP.multipliedBy(steps));
		String code = TestTotp.code(person.secret(), at);
		// A code that happens to repeat one of the accepted window would sign in: not
		// what this test is about (one in 333,333 per code).
		for (int near = -1; near <= 1; near++) {
			assertThat(code)
				.isNotEqualTo(TestTotp.code(person.secret(), this.clock.instant().plus(STEP.multipliedBy(near))));
		}
		return code;
	}

}
