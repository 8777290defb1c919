package dev.totplogin.scaleout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.totplogin.TotpLoginApplication;
import dev.totplogin.crypto.Tokens;
import dev.totplogin.support.DebianBinary;
import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestTotp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.DataType;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application instances in the profile {@code redis} on one real Redis (Debian's
 * {@code redis-server}, started here on a free port with a password) and one PostgreSQL,
 * with a browser whose cookies go to either: the sign-in journey behaves as with the
 * sessions in the database, and the sessions really are in Redis, none in
 * {@code spring_session}.
 */
class TwoInstancesOnRedisIT {

	private static final String KEY = "cmVkaXMtc2NhbGUtb3V0LXRlc3Qta2V5LTAxMjM0NTY=";

	/** Spring Session's keys of one session (its hash) in Redis. */
	private static final String SESSION_KEYS = "spring:session:sessions:*";

	private static final String REDIS_USER = "totplogin";

	/** The ACL that docs/production.md gives the application's user, word for word. */
	private static final String REDIS_PERMISSIONS = "~spring:session:* &* +@all -@admin -@dangerous +info";

	private static Path redisDirectory;

	private static Process redis;

	private static EmbeddedPostgres postgres;

	private static ConfigurableApplicationContext a;

	private static ConfigurableApplicationContext b;

	private static int users;

	private final Clock clock = Clock.systemUTC();

	@BeforeAll
	static void start() throws Exception {
		Path server = DebianBinary.require("redis-server", Path.of("/usr/bin/redis-server"));
		int port = freePort();
		String password = Tokens.random(24);
		redisDirectory = Files.createTempDirectory("two-instances-redis");
		// Configured as docs/production.md asks of a production Redis: the expiry events
		// sent by the server (RedisSessionConfiguration), the application's own ACL user
		// with no administrative command (the default user off); the password in a file,
		// not on a command line that ps shows; nothing written to disk.
		Path conf = Files.writeString(redisDirectory.resolve("redis.conf"),
				String.join("\n", "bind 127.0.0.1", "port " + port, "user default off",
						"user " + REDIS_USER + " on >" + password + " " + REDIS_PERMISSIONS, "save \"\"",
						"appendonly no", "notify-keyspace-events Egx", "dir " + redisDirectory, ""));
		redis = new ProcessBuilder(server.toString(), conf.toString()).redirectErrorStream(true)
			.redirectOutput(redisDirectory.resolve("redis.log").toFile())
			.start();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> !redis.isAlive()
					|| Files.readString(redisDirectory.resolve("redis.log")).contains("Ready to accept connections"));
		assertThat(redis.isAlive()).as(Files.readString(redisDirectory.resolve("redis.log"))).isTrue();

		postgres = EmbeddedPostgres.builder().start();
		String url = postgres.getJdbcUrl("postgres", "postgres");
		a = instance(url, port, password);
		b = instance(url, port, password);
	}

	@AfterAll
	static void stop() throws Exception {
		if (a != null) {
			a.close();
		}
		if (b != null) {
			b.close();
		}
		if (postgres != null) {
			postgres.close();
		}
		if (redis != null) {
			redis.destroy();
			redis.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void storeWhenProfileRedisThenRedisIndexedRepositoryAndNoJdbcSessionRepository() {
		for (ConfigurableApplicationContext instance : List.of(a, b)) {
			assertThat(instance.getBeansOfType(SessionRepository.class).values()).singleElement()
				.isInstanceOf(RedisIndexedSessionRepository.class);
			assertThat(instance.getBeanNamesForType(JdbcIndexedSessionRepository.class)).isEmpty();
			assertThat(instance.containsBean("redisStoredSessions")).as("deletes an account's sessions in Redis")
				.isTrue();
			assertThat(instance.containsBean("jdbcStoredSessions")).isFalse();
			HttpBrowser.Page readiness = new HttpBrowser(port(instance)).get("/actuator/health/readiness");
			assertThat(readiness.status()).as("ready, with Redis in the readiness group").isEqualTo(200);
			assertThat(instance.getEnvironment().getProperty("management.endpoint.health.group.readiness.include"))
				.contains("redis");
		}
	}

	@Test
	void signInWhenPasswordOnAAndCodeOnBThenSignedInOnBothAndTheSessionIsInRedisNotInTheDatabase() {
		String username = newUsername();
		HttpBrowser onA = new HttpBrowser(port(a));
		String secret = onA.registerAndEnroll(username, this.clock);
		onA.post("/logout", Map.of(), onA.get("/").csrfToken());

		String loginPage = onA.get("/login").csrfToken();
		String beforePassword = onA.sessionId().orElseThrow();
		assertThat(onA.post("/login", Map.of("username", username, "password", TestAccounts.PASSWORD), loginPage)
			.redirectPath()).isEqualTo("/verify-2fa");
		String afterPassword = onA.sessionId().orElseThrow();
		assertThat(afterPassword).as("new session id at the password step").isNotEqualTo(beforePassword);
		HttpBrowser onB = onA.at(port(b));
		assertThat(onB.submit("/verify-2fa", "/verify-2fa", Map.of("code", nextCode(secret))).redirectPath())
			.isEqualTo("/");
		String signedIn = onB.sessionId().orElseThrow();
		assertThat(signedIn).as("new session id at the code step").isNotEqualTo(afterPassword);
		assertThat(onA.get("/").body()).contains("Signed in as " + username);
		assertThat(onB.get("/").body()).contains("Signed in as " + username);

		assertThat(redis().hasKey("spring:session:sessions:" + decoded(signedIn))).as("the session, in Redis").isTrue();
		assertThat(redis().hasKey("spring:session:sessions:" + decoded(afterPassword)))
			.as("the pending session's id, gone at the code step")
			.isFalse();
		assertThat(sessions().findByPrincipalName(username).keySet()).as("the principal index")
			.containsExactly(decoded(signedIn));
		assertThat(a.getBean(JdbcTemplate.class).queryForObject("select count(*) from spring_session", Integer.class))
			.as("no session in the database")
			.isZero();
		assertThat(a.getBean(JdbcTemplate.class)
			.queryForObject("select count(*) from signed_in_session s join account a on a.id = s.account_id "
					+ "where a.username = ?", Integer.class, username))
			.as("the application's own row of the signed-in session, in the database")
			.isEqualTo(1);
	}

	@Test
	void trustedBrowserWhenTickedOnAThenALaterSignInOnBSkipsTheCode() {
		String username = newUsername();
		HttpBrowser browser = new HttpBrowser(port(a));
		// Enrolled with the previous step, so that the current one is left for the
		// sign-in.
		String secret = browser.registerAndEnroll(username, Clock.offset(this.clock, Duration.ofSeconds(-30)));
		browser.post("/logout", Map.of(), browser.get("/").csrfToken());
		browser.passwordStep(username);
		HttpBrowser.Page trusted = browser.submit("/verify-2fa", "/verify-2fa",
				Map.of("code", TestTotp.code(secret, this.clock.instant()), "rememberBrowser", "true"));
		assertThat(trusted.redirectPath()).isEqualTo("/");
		// Closed, not signed out: a sign-out ends the trust's stand-in until the next
		// code.
		browser.closeAndReopen();

		HttpBrowser onB = browser.at(port(b));
		onB.passwordStep(username);
		assertThat(onB.get("/verify-2fa").redirectPath()).as("no code on B").isEqualTo("/");
		assertThat(onB.get("/").body()).contains("Signed in as " + username);
		assertThat(onB.at(port(a)).get("/").body()).contains("Signed in as " + username);
	}

	/**
	 * Each instance's sessions list shows both sessions; one ended from the other's page
	 * is signed out at its next request, whichever instance it goes to.
	 */
	@Test
	void sessionsWhenOneIsEndedFromTheOtherInstancesPageThenItIsListedOnBothAndSignedOutOnBoth() {
		String username = newUsername();
		HttpBrowser onA = new HttpBrowser(port(a));
		String secret = onA.registerAndEnroll(username, Clock.offset(this.clock, Duration.ofSeconds(-30)));
		HttpBrowser onB = new HttpBrowser(port(b));
		onB.passwordStep(username);
		assertThat(onB.submit("/verify-2fa", "/verify-2fa", Map.of("code", TestTotp.code(secret, this.clock.instant())))
			.redirectPath()).isEqualTo("/");

		for (HttpBrowser viewer : List.of(onA, onA.at(port(b)), onB, onB.at(port(a)))) {
			String page = viewer.get("/account").body();
			assertThat(page).contains("This session");
			assertThat(endButtons(page)).as("an End button for the other session").hasSize(1);
		}
		onA.submit("/account", "/account/confirm", Map.of("code", nextCode(secret)));
		List<String> ends = endButtons(onA.get("/account").body());
		assertThat(ends).hasSize(1);
		// Ended from B's page of the session on A: the ended one is on B.
		HttpBrowser aOnB = onA.at(port(b));
		assertThat(aOnB.submit("/account", ends.get(0), Map.of()).redirectPath()).isEqualTo("/account");
		String endedCookie = onB.sessionId().orElseThrow();
		assertThat(onB.at(port(a)).get("/").redirectPath()).as("signed out at its next request, on A")
			.isEqualTo("/login");
		HttpBrowser replay = new HttpBrowser(port(b));
		replay.useSessionId(endedCookie);
		assertThat(replay.get("/").redirectPath()).as("and on B").isEqualTo("/login");
		assertThat(onA.get("/account").status()).isEqualTo(200);
		assertThat(endButtons(onA.at(port(b)).get("/account").body())).as("no other session left").isEmpty();
	}

	@Test
	void signOutEverywhereWhenAskedOnBThenTheSessionOnAIsSignedOutOnBothAndBStaysSignedIn() {
		String username = newUsername();
		HttpBrowser onA = new HttpBrowser(port(a));
		String secret = onA.registerAndEnroll(username, Clock.offset(this.clock, Duration.ofSeconds(-30)));
		String cookieOfA = onA.sessionId().orElseThrow();
		HttpBrowser onB = new HttpBrowser(port(b));
		onB.passwordStep(username);
		assertThat(onB.submit("/verify-2fa", "/verify-2fa", Map.of("code", TestTotp.code(secret, this.clock.instant())))
			.redirectPath()).isEqualTo("/");
		onB.submit("/account", "/account/confirm", Map.of("code", nextCode(secret)));

		assertThat(onB.submit("/account", "/account/sessions", Map.of("code", "")).redirectPath())
			.isEqualTo("/account");
		assertThat(onA.get("/").redirectPath()).as("signed out on A").isEqualTo("/login");
		HttpBrowser replay = new HttpBrowser(port(b));
		replay.useSessionId(cookieOfA);
		assertThat(replay.get("/").redirectPath()).as("and with its cookie on B").isEqualTo("/login");
		assertThat(onB.get("/").body()).contains("Signed in as " + username);
		assertThat(onB.at(port(a)).get("/").body()).contains("Signed in as " + username);
	}

	/**
	 * Deleting the account on A leaves nothing of its sessions in Redis: the one deleting
	 * (signed out by it) and one pending its code on B.
	 */
	@Test
	void accountDeletionWhenDoneOnAThenNoneOfItsSessionsIsLeftInRedis() {
		String username = newUsername();
		HttpBrowser onA = new HttpBrowser(port(a));
		String secret = onA.registerAndEnroll(username, Clock.offset(this.clock, Duration.ofSeconds(-30)));
		HttpBrowser pending = new HttpBrowser(port(b));
		assertThat(pending.passwordStep(username).redirectPath()).isEqualTo("/verify-2fa");
		String pendingId = decoded(pending.sessionId().orElseThrow());
		assertThat(redis().hasKey("spring:session:sessions:" + pendingId)).isTrue();
		assertThat(sessions().findByPrincipalName(username)).hasSize(2);

		HttpBrowser.Page deleted = onA.submit("/account", "/account/delete",
				Map.of("currentPassword", TestAccounts.PASSWORD, "code", TestTotp.code(secret, this.clock.instant())));
		assertThat(deleted.status()).as(deleted.body()).isEqualTo(302);
		assertThat(a.getBean(JdbcTemplate.class)
			.queryForObject("select count(*) from account where username = ?", Integer.class, username)).isZero();
		assertThat(sessions().findById(pendingId)).as("the pending session").isNull();
		assertThat(keys(principalIndex(username))).as("the account's principal index").isEmpty();
		// Its data within seconds (RedisStoredSessions), not Spring Session's five
		// minutes.
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(keys("spring:session:sessions:*" + pendingId)).isEmpty());
		Set<String> left = keys(SESSION_KEYS);
		for (String key : left) {
			if (redis().type(key) == DataType.HASH) {
				assertThat(redis().<Object, Object>opsForHash().entries(key).toString())
					.as("another session's attributes")
					.doesNotContain(username);
			}
		}
		assertThat(pending.at(port(a)).get("/verify-2fa").redirectPath()).isEqualTo("/login");
	}

	private static List<String> endButtons(String page) {
		Matcher end = Pattern.compile("/account/sessions/[A-Za-z0-9_-]{22}/end").matcher(page);
		List<String> found = new ArrayList<>();
		while (end.find()) {
			found.add(end.group());
		}
		return found;
	}

	/** The session id in the cookie, which is its Base64. */
	private static String decoded(String cookie) {
		return new String(Base64.getDecoder().decode(cookie), StandardCharsets.US_ASCII);
	}

	private static String principalIndex(String username) {
		return "spring:session:index:" + FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME + ":" + username;
	}

	private static FindByIndexNameSessionRepository<?> sessions() {
		return b.getBean(FindByIndexNameSessionRepository.class);
	}

	/** SCAN, not KEYS: the application's user may not run KEYS (-@dangerous). */
	private static Set<String> keys(String pattern) {
		Set<String> found = new HashSet<>();
		try (Cursor<String> cursor = redis().scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
			cursor.forEachRemaining(found::add);
		}
		return found;
	}

	private static StringRedisTemplate redis() {
		return a.getBean(StringRedisTemplate.class);
	}

	/**
	 * The enrollment used the current step; the next one is within the accepted window.
	 */
	private String nextCode(String secret) {
		return TestTotp.code(secret, this.clock.instant().plus(Duration.ofSeconds(30)));
	}

	private static String newUsername() {
		return "rd" + (++users) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
	}

	private static ConfigurableApplicationContext instance(String url, int redisPort, String redisPassword) {
		return new SpringApplicationBuilder(TotpLoginApplication.class).profiles("redis")
			.run("--server.port=0", "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
					"--spring.datasource.password=", "--spring.data.redis.host=127.0.0.1",
					"--spring.data.redis.port=" + redisPort, "--spring.data.redis.username=" + REDIS_USER,
					"--spring.data.redis.password=" + redisPassword, "--app.security.encryption.key=" + KEY,
					"--app.security.registration-limit.per-ip-per-hour=1000000",
					"--app.mail.directory=" + createMailDirectory());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static int port(ConfigurableApplicationContext instance) {
		return Integer.parseInt(instance.getEnvironment().getRequiredProperty("local.server.port"));
	}

	private static Path createMailDirectory() {
		try {
			return Files.createTempDirectory("two-instances-redis-mail");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
