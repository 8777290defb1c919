package dev.totplogin.lockout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.totplogin.support.CountingPasswordEncoder;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

/**
 * Failed password steps per client address ({@link ClientPasswordLimit}): the side the
 * per-account locks cannot see, one client spraying one guess over each of many accounts.
 * Five failures a window here (30 by default), the clock moved by hand.
 */
@MockMvcAppTest
@TestPropertySource(properties = { "app.security.password-limit.per-client.failures=5",
		"app.security.password-limit.per-client.window=10m", "app.security.password-limit.per-client.first-lock=5m",
		"app.security.password-limit.per-client.max-lock=1h" })
class ClientPasswordLimitTests {

	private static final String WRONG = "not the password at all";

	private static int addresses;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private CountingPasswordEncoder passwordEncoder;

	@Test
	void passwordStepWhenOneAddressFailedOverManyAccountsThenItsStepsAreRefusedUncheckedWithTheSameAnswer()
			throws Exception {
		Person owner = new Person(this.mvc, this.clock).signedUp();
		String attacker = address();
		for (int i = 0; i < 5; i++) {
			new Person(this.mvc, this.clock).from(attacker).signIn(WRONG).andExpect(redirectedUrl("/login"));
		}
		long eventsBefore = locks(attacker);

		Person ownerAtTheAttackersAddress = owner.anotherBrowser().from(attacker);
		int hashes = this.passwordEncoder.hashes();
		for (int i = 0; i < 3; i++) {
			ownerAtTheAttackersAddress.signIn().andExpect(redirectedUrl("/login"));
			new Person(this.mvc, this.clock).from(attacker).signIn(WRONG).andExpect(redirectedUrl("/login"));
		}
		assertThat(this.passwordEncoder.hashes()).as("hashes for refused steps").isEqualTo(hashes);
		assertThat(TestAccounts.eventsOf(this.jdbc, owner.username())).as("nothing against the owner's account")
			.doesNotContain("PASSWORD_FAILED", "REFUSED_WHILE_LOCKED");
		assertThat(failedPasswords(owner)).isZero();
		assertThat(locks(attacker)).as("one audit line for the lock, none per request").isEqualTo(eventsBefore);
		assertThat(eventsBefore).isOne();

		owner.anotherBrowser().from(address()).signIn().andExpect(redirectedUrl("/verify-2fa"));
	}

	@Test
	void passwordStepWhenTheLockEndsThenTheAddressMayTryAgainAndItsNextLockIsTwiceAsLong() throws Exception {
		Person owner = new Person(this.mvc, this.clock).signedUp();
		String client = address();
		Person there = owner.anotherBrowser().from(client);
		failFiveTimes(client);
		this.clock.advance(Duration.ofMinutes(5).minusSeconds(1));
		there.signIn().andExpect(redirectedUrl("/login"));
		this.clock.advance(Duration.ofSeconds(2));
		there.signIn().andExpect(redirectedUrl("/verify-2fa"));

		failFiveTimes(client);
		this.clock.advance(Duration.ofMinutes(10).minusSeconds(1));
		there.signIn().andExpect(redirectedUrl("/login"));
		this.clock.advance(Duration.ofSeconds(2));
		there.signIn().andExpect(redirectedUrl("/verify-2fa"));
	}

	@Test
	void passwordStepWhenTheRightPasswordComesFromTheAddressThenItCountsNothing() throws Exception {
		Person owner = new Person(this.mvc, this.clock).signedUp();
		String client = address();
		Person there = owner.anotherBrowser().from(client);
		for (int i = 0; i < 4; i++) {
			new Person(this.mvc, this.clock).from(client).signIn(WRONG);
		}
		for (int i = 0; i < 10; i++) {
			there.signIn().andExpect(redirectedUrl("/verify-2fa"));
		}
		new Person(this.mvc, this.clock).from(client).signIn(WRONG);
		there.signIn().andExpect(redirectedUrl("/login"));
	}

	@Test
	void passwordStepWhenLeftEmptyThenRefusedWithoutAHashAndWithoutTakingFromTheBudget() throws Exception {
		Person owner = new Person(this.mvc, this.clock).signedUp();
		String client = address();
		int hashes = this.passwordEncoder.hashes();
		for (int i = 0; i < 10; i++) {
			new Person(this.mvc, this.clock, "").from(client).signIn("").andExpect(redirectedUrl("/login"));
			owner.anotherBrowser().from(client).signIn("").andExpect(redirectedUrl("/login"));
		}
		assertThat(this.passwordEncoder.hashes()).isEqualTo(hashes);
		owner.anotherBrowser().from(client).signIn().andExpect(redirectedUrl("/verify-2fa"));
	}

	@Test
	void passwordStepWhenAddressesShareAnIpv6SlashSixtyFourThenTheyShareOneBudget() throws Exception {
		Person owner = new Person(this.mvc, this.clock).signedUp();
		int network = ++addresses;
		for (int i = 1; i <= 5; i++) {
			new Person(this.mvc, this.clock).from("2001:db8:" + network + ":7::" + i).signIn(WRONG);
		}
		owner.anotherBrowser()
			.from("2001:db8:" + network + ":7:ffff:ffff:ffff:ffff")
			.signIn()
			.andExpect(redirectedUrl("/login"));
		owner.anotherBrowser().from("2001:db8:" + network + ":8::1").signIn().andExpect(redirectedUrl("/verify-2fa"));
	}

	@Test
	void passwordStepWhenTwentyWrongOnesArriveAtOnceThenNoMoreThanTheLimitAreChecked() throws Exception {
		String client = address();
		List<Person> people = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			people.add(new Person(this.mvc, this.clock).from(client));
		}
		// Spring's password check hashes its dummy password once, at its first unknown
		// user: done here, from another address, so that it is not counted below.
		new Person(this.mvc, this.clock).from(address()).signIn(WRONG);
		int hashes = this.passwordEncoder.hashes();
		ExecutorService pool = Executors.newFixedThreadPool(20);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<?>> steps = new ArrayList<>();
			for (Person person : people) {
				steps.add(pool.submit(() -> {
					go.await();
					person.signIn(WRONG).andExpect(redirectedUrl("/login"));
					return null;
				}));
			}
			go.countDown();
			for (Future<?> step : steps) {
				step.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.passwordEncoder.hashes() - hashes).as("passwords checked").isEqualTo(5);
	}

	private void failFiveTimes(String client) throws Exception {
		for (int i = 0; i < 5; i++) {
			new Person(this.mvc, this.clock).from(client).signIn(WRONG).andExpect(redirectedUrl("/login"));
		}
	}

	private long locks(String client) {
		return this.jdbc.queryForObject(
				"select count(*) from security_event where event_type = 'CLIENT_LOCKED' and ip_address = ?", Long.class,
				client);
	}

	private int failedPasswords(Person person) {
		return this.jdbc.queryForObject(
				"select t.failed_attempts from auth_throttle t join account a "
						+ "on a.id = t.account_id where a.username = ? and t.factor = 'PASSWORD'",
				Integer.class, person.username());
	}

	/** An address of its own for each use: the tests share one database. */
	private static String address() {
		return "198.51.100." + (++addresses);
	}

}
