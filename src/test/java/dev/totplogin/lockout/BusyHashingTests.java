package dev.totplogin.lockout;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.TestAccounts;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A password attempt answered "busy" never counts, whichever attempt it is (security
 * review, finding 1): with room for one hash and no queue, the test holds the one permit
 * with a slow bcrypt check, so the victim's tenth wrong password is certain to find the
 * server busy.
 */
@MockMvcAppTest
@TestPropertySource(properties = { "app.security.hashing.max-concurrent=1", "app.security.hashing.max-queued=0" })
class BusyHashingTests {

	/**
	 * A well-formed bcrypt hash at cost 15 (about two seconds to check): it holds the
	 * permit while it runs.
	 */
	private static final String SLOW_HASH = "{bcrypt}$2a$15$" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQ";

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private PasswordEncoder passwordEncoder;

	private volatile Thread holderThread;

	private final ExecutorService pool = Executors.newSingleThreadExecutor((task) -> {
		this.holderThread = new Thread(task, "slow-hash");
		return this.holderThread;
	});

	@AfterEach
	void stop() {
		this.pool.shutdownNow();
	}

	@Test
	void passwordStepWhenTenthWrongPasswordAnsweredBusyThenNotCountedAndTheOwnerStillGetsIn() throws Exception {
		Person victim = new Person(this.mvc, this.clock).signedUp();
		for (int i = 1; i <= 9; i++) {
			victim.signIn("wrong password " + i).andExpect(redirectedUrl("/login"));
		}
		double busy = passwordBusy();
		Future<Boolean> holder = holdTheOnlyHashingPermit();
		victim.signIn("wrong password 10")
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().exists("Retry-After"));
		holder.get(1, TimeUnit.MINUTES);
		assertThat(passwordBusy()).as("totplogin_signin_attempts_total{step=password,result=busy}").isEqualTo(busy + 1);

		assertThat(throttle(victim)).as("failed attempts, lock end").containsExactly(9, null);
		victim.signIn().andExpect(redirectedUrl("/verify-2fa"));
		assertThat(throttle(victim)).containsExactly(0, null);
	}

	@Test
	void accountActionWhenTheCurrentPasswordFindsHashingBusyThenBusyAndItsCodeUnused() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		String code = person.currentCode();
		Future<Boolean> holder = holdTheOnlyHashingPermit();
		person
			.post("/account/password", "currentPassword", TestAccounts.PASSWORD, "newPassword", "a new passphrase here",
					"confirmPassword", "a new passphrase here", "code", code)
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().exists("Retry-After"));
		holder.get(1, TimeUnit.MINUTES);
		// Neither the password nor the code was counted or used: the same code works now.
		assertThat(TestAccounts.eventsOf(this.jdbc, person.username())).doesNotContain("PASSWORD_FAILED", "CODE_FAILED",
				"CODE_ACCEPTED");
		person
			.post("/account/password", "currentPassword", TestAccounts.PASSWORD, "newPassword", "a new passphrase here",
					"confirmPassword", "a new passphrase here", "code", code)
			.andExpect(redirectedUrl("/account#password"));
	}

	/**
	 * Starts the slow check and returns once it holds the permit: when its thread is
	 * inside bcrypt, past the bound. Watching the thread, not probing the encoder, so the
	 * test never competes for the permit itself.
	 */
	private Future<Boolean> holdTheOnlyHashingPermit() {
		Future<Boolean> holder = this.pool.submit(() -> this.passwordEncoder.matches("x", SLOW_HASH));
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() -> {
			Thread thread = this.holderThread;
			return thread != null && Arrays.stream(thread.getStackTrace())
				.anyMatch((frame) -> frame.getClassName().endsWith(".BCrypt"));
		});
		return holder;
	}

	private double passwordBusy() {
		return this.registry.get("totplogin.signin.attempts")
			.tag("step", "password")
			.tag("result", "busy")
			.functionCounter()
			.count();
	}

	private List<Object> throttle(Person person) {
		return this.jdbc.queryForList("""
				select t.failed_attempts, t.locked_until from auth_throttle t join account a on a.id = t.account_id
				where a.username = ? and t.factor = 'PASSWORD'""", person.username())
			.stream()
			.findFirst()
			.map((row) -> Arrays.asList(row.get("FAILED_ATTEMPTS"), row.get("LOCKED_UNTIL")))
			.orElseThrow();
	}

}
