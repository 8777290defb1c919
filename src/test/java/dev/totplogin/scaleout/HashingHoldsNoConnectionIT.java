package dev.totplogin.scaleout;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding 1 of the attack review: a burst of sign-ups took the database connections from
 * everybody, because each held one while it waited for a hashing turn and while it
 * hashed. Here the pool has 2 connections, one hash runs at a time and each takes a while
 * (Argon2 at 19 MiB and 16 passes), and 16 clients keep signing up and changing passwords
 * for 10 seconds (longer on a slow machine, until some of each got through): the hashing
 * queue is full and most of them get "busy", but a signed-in person's pages and the
 * readiness probe never fail, since no request holds a connection while it waits or
 * hashes.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestPropertySource(
		properties = { "spring.datasource.hikari.maximum-pool-size=2", "app.security.argon2.memory-kib=19456",
				"app.security.argon2.iterations=16", "app.security.hashing.max-concurrent=1",
				"app.security.hashing.max-queued=32", "app.security.hashing.max-wait=2s",
				// Two new hashes in place at once, so the password changes get their
				// turns beside the sign-ups.
				"app.security.hashing.max-new-hashes=2" })
class HashingHoldsNoConnectionIT {

	private static final Duration FLOOD = Duration.ofSeconds(10);

	/**
	 * How long the flood may go on until it has shown what it is for (some requests busy,
	 * some sign-ups and some password changes made): a slow machine makes fewer of each
	 * in the first ten seconds.
	 */
	private static final Duration LONGEST_FLOOD = Duration.ofSeconds(40);

	private static final String OTHER_PASSWORD = "lantern orbit cellar tulip";

	@LocalServerPort
	private int port;

	@Test
	void floodWhenSignUpsAndPasswordChangesFillTheHashingQueueThenSignedInPagesAndReadinessNeverFail()
			throws Exception {
		Clock clock = Clock.systemUTC();
		HttpBrowser observer = signedIn("observer", clock);
		List<HttpBrowser> changers = new ArrayList<>();
		List<String> secrets = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			HttpBrowser browser = new HttpBrowser(this.port);
			secrets.add(browser.registerAndEnroll("changer" + i, clock));
			browser.post("/recovery-codes/saved", Map.of(), browser.get("/recovery-codes").csrfToken());
			changers.add(browser);
		}
		// One code each on /account: fresh proof for the next ten minutes, so the
		// password changes below need the password alone.
		long enrolled = TestTotp.step(clock.instant());
		for (int i = 0; i < changers.size(); i++) {
			HttpBrowser browser = changers.get(i);
			HttpBrowser.Page confirmed = browser.post("/account/confirm",
					Map.of("code", TestTotp.codeAfter(secrets.get(i), clock, enrolled)),
					browser.get("/account").csrfToken());
			assertThat(confirmed.redirectPath()).isEqualTo("/account");
		}

		AtomicBoolean flooding = new AtomicBoolean(true);
		Map<String, Integer> answers = new ConcurrentHashMap<>();
		Map<String, Integer> checks = new ConcurrentHashMap<>();
		AtomicInteger registrations = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(18);
		try {
			List<Future<?>> work = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				work.add(pool.submit(() -> {
					while (flooding.get()) {
						HttpBrowser browser = new HttpBrowser(this.port);
						HttpBrowser.Page form = browser.get("/register");
						if (form.status() != 200) {
							answers.merge("register form " + form.status(), 1, Integer::sum);
							continue;
						}
						String password = TestAccounts.PASSWORD;
						HttpBrowser.Page page = browser.post("/register",
								Map.of("username", "flood" + registrations.incrementAndGet(), "password", password,
										"confirmPassword", password),
								form.csrfToken());
						answers.merge("register " + page.status(), 1, Integer::sum);
					}
					return null;
				}));
			}
			for (HttpBrowser browser : changers) {
				work.add(pool.submit(() -> {
					String current = TestAccounts.PASSWORD;
					while (flooding.get()) {
						String next = current.equals(TestAccounts.PASSWORD) ? OTHER_PASSWORD : TestAccounts.PASSWORD;
						HttpBrowser.Page form = browser.get("/account");
						if (form.status() != 200) {
							answers.merge("change form " + form.status(), 1, Integer::sum);
							continue;
						}
						HttpBrowser.Page page = browser.post("/account/password", Map.of("currentPassword", current,
								"code", "", "newPassword", next, "confirmPassword", next), form.csrfToken());
						answers.merge("change " + page.status(), 1, Integer::sum);
						// Changed: the page says so (a refusal says why instead).
						if (page.status() == 302
								&& browser.get("/account").body().contains("Your password has been changed")) {
							current = next;
						}
					}
					return null;
				}));
			}
			// A load balancer's probe and a person reading a page, every 50 ms, for as
			// long as the flood lasts.
			Future<?> probes = pool.submit(() -> {
				HttpBrowser anonymous = new HttpBrowser(this.port);
				long start = System.nanoTime();
				while (System.nanoTime() - start < FLOOD.toNanos()
						|| (!floodShown(answers) && System.nanoTime() - start < LONGEST_FLOOD.toNanos())) {
					checks.merge("readiness " + anonymous.get("/actuator/health/readiness").status(), 1, Integer::sum);
					checks.merge("account " + observer.get("/account").status(), 1, Integer::sum);
					LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
				}
				return null;
			});
			try {
				probes.get();
			}
			finally {
				flooding.set(false);
			}
			for (Future<?> each : work) {
				each.get();
			}
		}
		finally {
			flooding.set(false);
			pool.shutdownNow();
		}
		System.out.printf("Flood answers %s, probes %s%n", answers, checks);

		// Which of the two gets "busy" depends on the machine's speed; that some request
		// does shows the hashing was full while the probes ran.
		assertThat(answers.keySet()).as("the hashing was full: some requests got busy")
			.containsAnyOf("register 503", "change 503");
		assertThat(answers.keySet()).as("sign-ups and changes were made or refused as busy, nothing else")
			.isSubsetOf("register 302", "register 503", "change 302", "change 503");
		assertThat(answers).containsKeys("register 302", "change 302");
		assertThat(checks.keySet()).as("probes during the flood").containsOnly("readiness 200", "account 200");
		assertThat(checks.get("readiness 200")).as("probes answered during the flood").isGreaterThanOrEqualTo(2);
	}

	private static boolean floodShown(Map<String, Integer> answers) {
		return (answers.containsKey("register 503") || answers.containsKey("change 503"))
				&& answers.containsKey("register 302") && answers.containsKey("change 302");
	}

	private HttpBrowser signedIn(String username, Clock clock) {
		HttpBrowser browser = new HttpBrowser(this.port);
		browser.registerAndEnroll(username, clock);
		browser.post("/recovery-codes/saved", Map.of(), browser.get("/recovery-codes").csrfToken());
		assertThat(browser.get("/account").status()).isEqualTo(200);
		return browser;
	}

}
