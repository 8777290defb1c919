package dev.totplogin.lockout;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import dev.totplogin.support.CountingPasswordEncoder;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.totp.TotpService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Per-account brute-force limits, with the clock moved by hand instead of sleeping. */
@MockMvcAppTest
class LockoutTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private TotpService totp;

	@Autowired
	private Attempts attempts;

	@Autowired
	private CountingPasswordEncoder passwordEncoder;

	@Test
	void codeStepWhenFifthWrongCodeThenLockedUntilAnExactTimeWarnedBeforeAndTheRightCodeRefusedAsLocked()
			throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		for (int i = 1; i <= 2; i++) {
			person.code(person.wrongCode())
				.andExpect(status().isOk())
				.andExpect(content().string(not(containsString("more wrong code"))));
		}
		person.code(person.wrongCode()).andExpect(content().string(containsString("2 more wrong codes and codes")));
		person.code(person.wrongCode()).andExpect(content().string(containsString("One more wrong code and codes")));
		String until = TIME.format(this.clock.instant().plus(Duration.ofMinutes(1)));
		person.code(person.wrongCode())
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("refused until " + until + " UTC, in 60 seconds")));
		assertThat(person.session().isInvalid()).as("the person stays on the code page").isFalse();

		this.clock.advance(Duration.ofSeconds(8));
		person.code(person.currentCode())
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("refused until " + until + " UTC, in 52 seconds")));
		assertThat(TestAccounts.eventsOf(this.jdbc, person.username())).endsWith("LOCKED", "REFUSED_WHILE_LOCKED");

		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		person.get("/verify-2fa").andExpect(content().string(containsString("refused until " + until + " UTC")));

		this.clock.advance(Duration.ofSeconds(53));
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		person.get("/verify-2fa").andExpect(content().string(not(containsString("refused until"))));
		person.code(person.currentCode()).andExpect(redirectedUrl("/"));
	}

	@Test
	void codeStepWhenLockedAgainAfterALockThenLockLastsTwiceAsLong() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		lockSecondFactor(person);
		this.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
		lockSecondFactor(person);
		this.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
		person.signIn();
		person.code(person.currentCode())
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Too many wrong codes")));
		this.clock.advance(Duration.ofMinutes(1));
		person.signIn();
		person.code(person.currentCode()).andExpect(redirectedUrl("/"));
	}

	@Test
	void codeStepWhenRightCodeBetweenWrongOnesThenCounterStartsAgain() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn();
		for (int i = 0; i < 4; i++) {
			person.code(person.wrongCode()).andExpect(status().isOk());
		}
		person.code(person.currentCode()).andExpect(redirectedUrl("/"));
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn();
		for (int i = 0; i < 4; i++) {
			person.code(person.wrongCode()).andExpect(status().isOk());
		}
		person.code(person.currentCode()).andExpect(redirectedUrl("/"));
	}

	@Test
	void lockWhenAccountAlreadySignedInElsewhereThenThatSessionStaysSignedIn() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		var signedIn = person.session();
		lockSecondFactor(person);
		this.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/").session(signedIn))
			.andExpect(status().isOk());
	}

	@Test
	void recoveryCodeWhenWrongOnesCountTowardsTheSameLock() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn();
		for (int i = 0; i < 3; i++) {
			person.post("/verify-2fa/recovery", "recoveryCode", "aaaaa-aaaaa").andExpect(status().isOk());
		}
		person.code(person.wrongCode()).andExpect(status().isOk());
		person.post("/verify-2fa/recovery", "recoveryCode", "bbbbb-bbbbb")
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Too many wrong codes")));
	}

	@Test
	void passwordStepWhenTenthWrongPasswordThenRightPasswordRefusedWithTheSameAnswerForAMinute() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		for (int i = 0; i < 10; i++) {
			person.signIn("wrong password " + i).andExpect(redirectedUrl("/login"));
		}
		String wrongPasswordPage = loginPage(person);
		person.signIn().andExpect(redirectedUrl("/login"));
		assertThat(loginPage(person)).as("a lock reads exactly like a wrong password")
			.contains("don&#39;t match")
			.isEqualTo(wrongPasswordPage);
		this.clock.advance(Duration.ofSeconds(61));
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		assertThat(this.jdbc.queryForObject(
				"select count(*) from security_event e join account a on a.id = e.account_id "
						+ "where e.event_type = 'LOCKED' and e.detail like 'password%' and a.username = ?",
				Integer.class, person.username()))
			.isEqualTo(1);
	}

	@Test
	void passwordStepWhenNineWrongThenRightThenCounterStartsAgain() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		for (int i = 0; i < 9; i++) {
			person.signIn("wrong password " + i).andExpect(redirectedUrl("/login"));
		}
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		for (int i = 0; i < 9; i++) {
			person.signIn("wrong password " + i).andExpect(redirectedUrl("/login"));
		}
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
	}

	@Test
	void passwordLockWhenSecondFactorCountedSeparatelyThenWrongCodesDoNotLockPasswords() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		lockSecondFactor(person);
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
	}

	/**
	 * Twenty wrong codes at the same moment: every one counts, and no more than five are
	 * ever checked.
	 */
	@Test
	void codeChecksWhenTwentyWrongCodesArriveAtOnceThenAllCountedAndAtMostFiveChecked() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		long accountId = this.jdbc.queryForObject("select id from account where username = ?", Long.class,
				person.username());
		String wrong = person.wrongCode();
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
		try {
			java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
			java.util.List<java.util.concurrent.Future<AttemptResult>> results = new java.util.ArrayList<>();
			for (int i = 0; i < 20; i++) {
				results.add(pool.submit(() -> {
					start.await();
					return this.totp.verify(accountId, wrong);
				}));
			}
			start.countDown();
			for (java.util.concurrent.Future<AttemptResult> result : results) {
				assertThat(result.get().accepted()).isFalse();
			}
		}
		finally {
			pool.shutdownNow();
		}
		int checked = this.jdbc.queryForObject("select count(*) from security_event where account_id = ? "
				+ "and event_type = 'CODE_FAILED' and detail is null", Integer.class, accountId);
		assertThat(checked).isEqualTo(5);
		assertThat(this.attempts.lockedUntil(accountId, Budget.SECOND_FACTOR)).isPresent();
		assertThat(this.totp.verify(accountId, person.currentCode()).status()).isEqualTo(AttemptResult.Status.LOCKED);
	}

	/**
	 * A check answers {@code ACCEPTED}, {@code WRONG} or {@code REPLAYED}; a lockout's
	 * own status from a check is a mistake in the code, which ends the attempt like an
	 * exception: given back, not counted.
	 */
	@Test
	void attemptWhenTheCheckAnswersALockoutStatusThenThrowsAndNothingIsCounted() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		long accountId = this.jdbc.queryForObject("select id from account where username = ?", Long.class,
				person.username());
		assertThatIllegalStateException().isThrownBy(() -> this.attempts.attempt(accountId, Budget.PASSWORD,
				"wrong password", () -> AttemptResult.Status.LOCKED));
		assertThat(this.jdbc.queryForObject(
				"select failed_attempts from auth_throttle where account_id = ? and factor = 'PASSWORD'", Integer.class,
				accountId))
			.isZero();
		assertThat(TestAccounts.eventsOf(this.jdbc, person.username())).doesNotContain("PASSWORD_FAILED");
	}

	/**
	 * A lock must cost one hash, like a wrong password and an unknown user: counted, not
	 * timed, so the answer is the same on any machine.
	 */
	@Test
	void passwordStepWhenLockedOrUnknownUserThenCostsOneHashLikeAWrongPassword() throws Exception {
		Person locked = new Person(this.mvc, this.clock).signedUp();
		for (int i = 0; i < 10; i++) {
			locked.signIn("wrong password " + i);
		}
		Person wrong = new Person(this.mvc, this.clock).signedUp();
		Person unknown = new Person(this.mvc, this.clock);
		unknown.signIn();
		assertThat(hashesFor(() -> wrong.signIn("not the password"))).as("wrong password").isEqualTo(1);
		assertThat(hashesFor(() -> locked.signIn())).as("locked account").isEqualTo(1);
		assertThat(hashesFor(() -> unknown.signIn())).as("unknown user").isEqualTo(1);
	}

	private interface Step {

		void run() throws Exception;

	}

	private int hashesFor(Step step) throws Exception {
		int before = this.passwordEncoder.hashes();
		step.run();
		return this.passwordEncoder.hashes() - before;
	}

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

	private void lockSecondFactor(Person person) throws Exception {
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn().andExpect(redirectedUrl("/verify-2fa"));
		for (int i = 0; i < 4; i++) {
			person.code(person.wrongCode()).andExpect(status().isOk());
		}
		person.code(person.wrongCode()).andExpect(content().string(containsString("Too many wrong codes")));
	}

	private static String loginPage(Person person) throws Exception {
		return person.get("/login")
			.andReturn()
			.getResponse()
			.getContentAsString()
			.replaceAll("name=\"_csrf\" value=\"[^\"]*\"", "");
	}

}
