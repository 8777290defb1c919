package dev.totplogin.scaleout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import dev.totplogin.TotpLoginApplication;
import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.SoftwareAuthenticator;
import dev.totplogin.support.Mailbox;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestTotp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application instances (two contexts on two ports) on one real PostgreSQL server,
 * with a browser whose cookies go to either, as behind a load balancer without sticky
 * sessions. Every guarantee must hold across them.
 */
class TwoInstancesOnPostgresIT {

	private static final Path MAIL = createMailDirectory();

	private static final String KEY = "c2NhbGUtb3V0LXRlc3Qta2V5LTAxMjM0NTY3ODlhYmM=";

	/** The OpenID Connect client's secret (client_secret_post). */
	private static final String PG_SECRET = "pg-client-secret-0123456789";

	private static EmbeddedPostgres postgres;

	private static ConfigurableApplicationContext a;

	private static ConfigurableApplicationContext b;

	private static int users;

	private final Clock clock = Clock.systemUTC();

	@BeforeAll
	static void start() throws IOException {
		postgres = EmbeddedPostgres.builder().start();
		String url = postgres.getJdbcUrl("postgres", "postgres");
		a = instance(url);
		b = instance(url);
	}

	@AfterAll
	static void stop() throws IOException {
		if (a != null) {
			a.close();
		}
		if (b != null) {
			b.close();
		}
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void migrationsWhenAppliedOnPostgresThenEverySucceeded() throws IOException {
		JdbcTemplate jdbc = a.getBean(JdbcTemplate.class);
		List<String> shipped = Arrays
			.stream(new PathMatchingResourcePatternResolver().getResources("classpath:db/migration/V*__*.sql"))
			.map((migration) -> migration.getFilename().substring(1, migration.getFilename().indexOf("__")))
			.sorted(Comparator.comparingInt(Integer::parseInt))
			.toList();
		assertThat(shipped).hasSizeGreaterThanOrEqualTo(4);
		assertThat(jdbc.queryForList(
				"select version from flyway_schema_history where success and version is not null order by installed_rank",
				String.class))
			.containsExactlyElementsOf(shipped);
		assertThat(jdbc.queryForList("select description from flyway_schema_history where success and version is null",
				String.class))
			.as("PostgreSQL's own, from db/vendor/postgresql")
			.containsExactly("prefix search indexes");
		assertThat(jdbc.queryForObject("select version()", String.class)).startsWith("PostgreSQL 17");
	}

	@Test
	void signInWhenPasswordOnAAndCodeOnBThenHomeOnAWithNewSessionIdAtEachStep() {
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
		HttpBrowser.Page verified = onB.submit("/verify-2fa", "/verify-2fa", Map.of("code", nextCode(secret)));
		assertThat(verified.redirectPath()).isEqualTo("/");
		assertThat(onB.sessionId()).as("new session id at the code step").get().isNotEqualTo(afterPassword);
		assertThat(onA.get("/").body()).contains("Signed in as " + username);
	}

	@Test
	void replayWhenOneCodeRacesOnBothInstancesThenExactlyOneSessionGetsIn() throws Exception {
		String username = newUsername();
		String secret = new HttpBrowser(port(a)).registerAndEnroll(username, this.clock);
		List<HttpBrowser> browsers = new ArrayList<>();
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			HttpBrowser browser = new HttpBrowser(port((i % 2 == 0) ? a : b));
			browser.passwordStep(username);
			tokens.add(browser.get("/verify-2fa").csrfToken());
			browsers.add(browser);
		}
		String code = nextCode(secret);
		ExecutorService pool = Executors.newFixedThreadPool(10);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<HttpBrowser.Page>> results = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				HttpBrowser browser = browsers.get(i);
				String token = tokens.get(i);
				results.add(pool.submit(() -> {
					go.await();
					return browser.post("/verify-2fa", Map.of("code", code), token);
				}));
			}
			go.countDown();
			int signedIn = 0;
			for (Future<HttpBrowser.Page> result : results) {
				HttpBrowser.Page page = result.get();
				signedIn += (page.status() == 302 && "/".equals(page.redirectPath())) ? 1 : 0;
			}
			assertThat(signedIn).isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void lockoutWhenFiveWrongCodesSpreadOverBothInstancesThenLockedOnBoth() {
		String username = newUsername();
		String secret = new HttpBrowser(port(a)).registerAndEnroll(username, this.clock);
		HttpBrowser browser = new HttpBrowser(port(a));
		browser.passwordStep(username);
		String wrong = String.format("%06d", (Integer.parseInt(nextCode(secret)) + 1) % 1_000_000);
		HttpBrowser.Page last = null;
		for (int i = 0; i < 5; i++) {
			HttpBrowser instance = browser.at(port((i % 2 == 0) ? a : b));
			last = instance.submit("/verify-2fa", "/verify-2fa", Map.of("code", wrong));
		}
		assertThat(last.status()).as("the fifth wrong code locks: the person stays on the code page").isEqualTo(200);
		assertThat(last.body()).contains("Too many wrong codes: codes for this account are refused until");
		for (ConfigurableApplicationContext instance : List.of(a, b)) {
			HttpBrowser fresh = new HttpBrowser(port(instance));
			fresh.passwordStep(username);
			HttpBrowser.Page refused = fresh.submit("/verify-2fa", "/verify-2fa", Map.of("code", nextCode(secret)));
			assertThat(refused.status()).isEqualTo(200);
			assertThat(refused.body()).contains("Too many wrong codes");
		}
	}

	@Test
	void recoveryCodeWhenUsedOnAThenRefusedOnB() {
		String username = newUsername();
		HttpBrowser enrolling = new HttpBrowser(port(a));
		enrolling.registerAndEnroll(username, this.clock);
		String code = enrolling.recoveryCodes().get(0);

		HttpBrowser onA = new HttpBrowser(port(a));
		onA.passwordStep(username);
		assertThat(
				onA.submit("/verify-2fa/recovery", "/verify-2fa/recovery", Map.of("recoveryCode", code)).redirectPath())
			.isEqualTo("/");
		HttpBrowser onB = new HttpBrowser(port(b));
		onB.passwordStep(username);
		HttpBrowser.Page refused = onB.submit("/verify-2fa/recovery", "/verify-2fa/recovery",
				Map.of("recoveryCode", code));
		assertThat(refused.status()).isEqualTo(200);
		assertThat(refused.body()).contains("recovery code didn");
	}

	@Test
	void logoutWhenDoneOnBThenSessionGoneOnA() {
		String username = newUsername();
		HttpBrowser onA = new HttpBrowser(port(a));
		onA.registerAndEnroll(username, this.clock);
		assertThat(onA.get("/").status()).isEqualTo(200);
		String cookie = onA.sessionId().orElseThrow();
		HttpBrowser onB = onA.at(port(b));
		assertThat(onB.post("/logout", Map.of(), onB.get("/").csrfToken()).redirectPath()).isEqualTo("/login");

		HttpBrowser replay = new HttpBrowser(port(a));
		replay.useSessionId(cookie);
		assertThat(replay.get("/").redirectPath()).isEqualTo("/login");
	}

	/**
	 * A browser trusted on A stands in for the code on B; forgetting it on B holds on A
	 * at once.
	 */
	@Test
	void trustedBrowserWhenTickedOnAThenBSkipsTheCodeAndForgettingItOnBHoldsOnA() {
		String username = newUsername();
		HttpBrowser browser = new HttpBrowser(port(a));
		// Enrolled with the previous step, so that three codes are left in the window.
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

		onB.submit("/account", "/account/confirm", Map.of("code", nextCode(secret)));
		assertThat(onB.submit("/account", "/account/trusted-browsers/forget-all", Map.of()).redirectPath())
			.isEqualTo("/account");
		onB.post("/logout", Map.of(), onB.get("/").csrfToken());
		HttpBrowser onA = onB.at(port(a));
		onA.passwordStep(username);
		assertThat(onA.get("/verify-2fa").status()).as("the code page again, on A").isEqualTo(200);
	}

	/**
	 * Both WebAuthn ceremonies keep their challenge in the session, so in the database: a
	 * key registered with options from A and the answer on B, then a sign-in with options
	 * from B and the signed answer on A.
	 */
	@Test
	void securityKeyWhenEachCeremonyStartsOnOneInstanceAndEndsOnTheOtherThenItWorks() {
		String username = newUsername();
		HttpBrowser onA = new HttpBrowser(port(a));
		String secret = onA.registerAndEnroll(username, Clock.offset(this.clock, Duration.ofSeconds(-30)));
		onA.submit("/account", "/account/confirm", Map.of("code", nextCode(secret)));
		SoftwareAuthenticator key = new SoftwareAuthenticator("http://localhost:8080");
		String csrf = onA.get("/account").csrfToken();
		HttpBrowser.Page options = onA.postJson("/webauthn/register/options", "", csrf);
		assertThat(options.status()).isEqualTo(200);
		HttpBrowser onB = onA.at(port(b));
		HttpBrowser.Page registered = onB.postJson("/webauthn/register", key.register(options.body(), "Key"), csrf);
		assertThat(registered.status()).isEqualTo(200);
		assertThat(registered.body()).contains("\"success\":true");
		onB.post("/logout", Map.of(), onB.get("/").csrfToken());

		onB.passwordStep(username);
		String pending = onB.get("/verify-2fa").csrfToken();
		HttpBrowser.Page challenge = onB.postJson("/webauthn/authenticate/options", "", pending);
		assertThat(challenge.status()).isEqualTo(200);
		HttpBrowser onAAgain = onB.at(port(a));
		HttpBrowser.Page signedIn = onAAgain.postJson("/login/webauthn", key.assertion(challenge.body()), pending);
		assertThat(signedIn.status()).isEqualTo(200);
		assertThat(signedIn.body()).contains("\"authenticated\":true");
		assertThat(onAAgain.get("/").body()).contains("Signed in as " + username);
		assertThat(onB.get("/account").status()).isEqualTo(200);
	}

	/**
	 * A passkey on its own across instances: registered as a passkey on A, then a
	 * usernameless sign-in whose challenge comes from A (kept in the anonymous session,
	 * so in PostgreSQL) and whose assertion goes to B.
	 */
	@Test
	void passkeyWhenItsChallengeComesFromAAndItsAssertionGoesToBThenSignedInAlone() {
		String username = newUsername();
		HttpBrowser onA = new HttpBrowser(port(a));
		String secret = onA.registerAndEnroll(username, Clock.offset(this.clock, Duration.ofSeconds(-30)));
		onA.submit("/account", "/account/confirm", Map.of("code", nextCode(secret)));
		SoftwareAuthenticator passkey = new SoftwareAuthenticator("http://localhost:8080").verifyingUser(true);
		String csrf = onA.get("/account").csrfToken();
		HttpBrowser.Page options = onA.postJson("/webauthn/register/options?kind=passkey", "", csrf);
		assertThat(options.body()).contains("\"userVerification\":\"required\"");
		assertThat(onA.postJson("/webauthn/register", passkey.register(options.body(), "Passkey"), csrf).status())
			.isEqualTo(200);

		HttpBrowser stranger = new HttpBrowser(port(a));
		String loginCsrf = stranger.get("/login").csrfToken();
		HttpBrowser.Page challenge = stranger.postJson("/webauthn/authenticate/options", "", loginCsrf);
		assertThat(challenge.status()).isEqualTo(200);
		HttpBrowser onB = stranger.at(port(b));
		HttpBrowser.Page signedIn = onB.postJson("/login/webauthn", passkey.assertion(challenge.body()), loginCsrf);
		assertThat(signedIn.status()).isEqualTo(200);
		assertThat(signedIn.body()).contains("\"authenticated\":true");
		assertThat(onB.get("/").body()).contains("Signed in as " + username);
		assertThat(onB.at(port(a)).get("/account").status()).isEqualTo(200);
	}

	/**
	 * The sessions list holds across instances: a session signed in on B is listed on A,
	 * without any session id in the page, and ending it on A signs it out on B at once.
	 */
	@Test
	void sessionsWhenOneIsEndedOnAThenItIsSignedOutOnB() {
		String username = newUsername();
		HttpBrowser onA = new HttpBrowser(port(a));
		String secret = onA.registerAndEnroll(username, Clock.offset(this.clock, Duration.ofSeconds(-30)));
		HttpBrowser onB = new HttpBrowser(port(b));
		onB.passwordStep(username);
		assertThat(onB.submit("/verify-2fa", "/verify-2fa", Map.of("code", TestTotp.code(secret, this.clock.instant())))
			.redirectPath()).isEqualTo("/");

		onA.submit("/account", "/account/confirm", Map.of("code", nextCode(secret)));
		String page = onA.get("/account").body();
		for (String cookie : List.of(onA.sessionId().orElseThrow(), onB.sessionId().orElseThrow())) {
			String sessionId = new String(Base64.getDecoder().decode(cookie), StandardCharsets.US_ASCII);
			assertThat(page).as("never a session id in a page").doesNotContain(cookie).doesNotContain(sessionId);
		}
		assertThat(page).contains("This session");
		Matcher end = Pattern.compile("/account/sessions/([A-Za-z0-9_-]{22})/end").matcher(page);
		assertThat(end.find()).as("an End button for the session on B").isTrue();
		assertThat(onA.submit("/account", end.group(0), Map.of()).redirectPath()).isEqualTo("/account");
		assertThat(onB.get("/").redirectPath()).isEqualTo("/login");
		assertThat(onA.get("/account").status()).isEqualTo(200);
	}

	/**
	 * OpenID Connect across instances on PostgreSQL: the code issued by B is exchanged on
	 * A and refreshed on B (the authorizations' JSON in PostgreSQL text columns), and
	 * signing out on A ends what the client got, on B too, within the sweep's seconds.
	 */
	@Test
	void openIdConnectWhenCodeFromBTokenOnARefreshOnBThenWorksAndSignOutOnARevokesIt() throws Exception {
		String username = newUsername();
		HttpBrowser onA = new HttpBrowser(port(a));
		onA.registerAndEnroll(username, this.clock);
		String verifier = dev.totplogin.crypto.Tokens.random(32);
		String challenge = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(java.security.MessageDigest.getInstance("SHA-256")
				.digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		HttpBrowser.Page authorized = onA.at(port(b))
			.get("/oauth2/authorize?response_type=code&client_id=pg&scope=openid&state=s&nonce=n"
					+ "&redirect_uri=http://localhost/cb&code_challenge=" + challenge + "&code_challenge_method=S256");
		assertThat(authorized.location()).startsWith("http://localhost/cb?code=");
		String code = authorized.location().replaceFirst(".*[?&]code=([^&]+).*", "$1");

		HttpBrowser client = new HttpBrowser(port(a));
		HttpBrowser.Page tokens = client.post(
				"/oauth2/token", Map.of("grant_type", "authorization_code", "client_id", "pg", "client_secret",
						PG_SECRET, "code", code, "redirect_uri", "http://localhost/cb", "code_verifier", verifier),
				null);
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		String idToken = tokens.body().replaceFirst(".*\"id_token\":\"([^\"]+)\".*", "$1");
		String claims = new String(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]), StandardCharsets.UTF_8);
		assertThat(claims).contains("\"acr\":\"urn:totp-login:aal2\"").contains("\"otp\"");
		String refresh = tokens.body().replaceFirst(".*\"refresh_token\":\"([^\"]+)\".*", "$1");
		HttpBrowser.Page refreshed = client.at(port(b))
			.post("/oauth2/token", Map.of("grant_type", "refresh_token", "client_id", "pg", "client_secret", PG_SECRET,
					"refresh_token", refresh), null);
		assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
		String rotated = refreshed.body().replaceFirst(".*\"refresh_token\":\"([^\"]+)\".*", "$1");
		assertThat(rotated).isNotEqualTo(refresh);

		onA.post("/logout", Map.of(), onA.get("/").csrfToken());
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(client.at(port(b))
				.post("/oauth2/token",
						Map.of("grant_type", "refresh_token", "client_id", "pg", "client_secret", PG_SECRET,
								"refresh_token", rotated),
						null)
				.status()).isEqualTo(400));
	}

	/**
	 * The admin console across instances (ASVS 5.0 7.4.2): an account disabled on A is
	 * signed out on B at its next request and refused there with the ordinary message;
	 * enabled on A, it signs in on B again.
	 */
	@Test
	void disableWhenDoneInTheConsoleOnAThenSignedOutAndRefusedOnBUntilEnabled() {
		String adminName = newUsername();
		HttpBrowser admin = new HttpBrowser(port(a));
		String adminSecret = admin.registerAndEnroll(adminName, Clock.offset(this.clock, Duration.ofSeconds(-30)));
		a.getBean(JdbcTemplate.class).update("update account set admin = true where username = ?", adminName);
		assertThat(
				admin.submit("/admin/confirm", "/admin/confirm", Map.of("code", nextCode(adminSecret))).redirectPath())
			.isEqualTo("/admin");
		String username = newUsername();
		HttpBrowser onB = new HttpBrowser(port(b));
		onB.registerAndEnroll(username, this.clock);
		assertThat(onB.get("/account").status()).isEqualTo(200);
		long id = a.getBean(JdbcTemplate.class)
			.queryForObject("select id from account where username = ?", Long.class, username);

		String account = "/admin/accounts/" + id;
		assertThat(admin.submit(account + "/disable", account + "/disable", Map.of()).redirectPath())
			.isEqualTo(account);
		assertThat(onB.get("/account").redirectPath()).isEqualTo("/login");
		HttpBrowser refused = new HttpBrowser(port(b));
		assertThat(refused.passwordStep(username).redirectPath()).isEqualTo("/login");
		assertThat(refused.get("/login").body()).contains("match an account. Check both and try again.");

		assertThat(admin.submit(account, account + "/enable", Map.of()).redirectPath()).isEqualTo(account);
		assertThat(new HttpBrowser(port(b)).passwordStep(username).redirectPath()).isEqualTo("/verify-2fa");
	}

	/**
	 * The admin console's search on PostgreSQL under a collation other than "C" (the
	 * embedded server's is C.UTF-8, as most servers' en_US.UTF-8): the prefix is an index
	 * range, not a full scan. Sequential scans are priced out so that the plan shows
	 * whether an index can serve the LIKE at all.
	 */
	@Test
	void adminSearchWhenOnPostgresWithANonCCollationThenThePrefixIsAnIndexRange() {
		JdbcTemplate jdbc = a.getBean(JdbcTemplate.class);
		assertThat(jdbc.queryForObject("select datcollate from pg_database where datname = current_database()",
				String.class))
			.isNotIn("C", "POSIX");
		String plan = jdbc.execute((ConnectionCallback<String>) (connection) -> {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("set local enable_seqscan = off");
				StringBuilder lines = new StringBuilder();
				// The console's query as Spring Data writes it (StartingWith: LIKE with
				// an escape).
				try (ResultSet rows = statement.executeQuery("explain select id from account where username_key like "
						+ "'pg1%' escape '\\' or email_key like 'pg1%' escape '\\'")) {
					while (rows.next()) {
						lines.append(rows.getString(1)).append('\n');
					}
				}
				return lines.toString();
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(true);
			}
		});
		assertThat(plan).contains("ix_account_username_key_prefix", "ix_account_email_key_prefix")
			.doesNotContain("Seq Scan");
	}

	/**
	 * The enrollment used the current step; the next one is within the accepted window.
	 */
	private String nextCode(String secret) {
		return TestTotp.code(secret, this.clock.instant().plus(Duration.ofSeconds(30)));
	}

	private static String newUsername() {
		return "pg" + (++users) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
	}

	private static ConfigurableApplicationContext instance(String url) {
		return new SpringApplicationBuilder(TotpLoginApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
				"--spring.datasource.password=", "--app.security.encryption.key=" + KEY,
				"--app.security.registration-limit.per-ip-per-hour=1000000", "--app.mail.directory=" + MAIL,
				"--app.oidc.clients.pg.redirect-uris=http://localhost/cb", "--app.oidc.clients.pg.secret=" + PG_SECRET);
	}

	/**
	 * A reset asked for on A: one mail, sent by one of the two instances, and its link
	 * works on B.
	 */
	@Test
	void passwordResetWhenAskedOnAThenExactlyOneMailAndTheLinkWorksOnB() throws Exception {
		String username = newUsername();
		String email = username + "@example.com";
		HttpBrowser onA = new HttpBrowser(port(a));
		onA.registerAndEnroll(username, email, this.clock);
		String recoveryCode = onA.recoveryCodes().get(0);
		Mailbox mailbox = new Mailbox(a.getBean(JdbcTemplate.class));
		String verify = Mailbox.linkIn(mailbox.awaitMessage(email, 1));
		HttpBrowser.Page confirm = onA.get(Mailbox.pathOf(verify));
		onA.post("/email/verify", Map.of("token", verify.substring(verify.indexOf("token=") + 6)), confirm.csrfToken());

		new HttpBrowser(port(a)).submit("/password/forgot", "/password/forgot", Map.of("email", email));
		String link = Mailbox.linkIn(mailbox.awaitMessage(email, 2));
		JdbcTemplate jdbc = b.getBean(JdbcTemplate.class);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> jdbc.queryForObject("select count(*) from mail_outbox where recipient = ? and sent_at is null",
					Integer.class, email) == 0);
		await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
		assertThat(mailFilesTo(email, "Subject: Reset your password")).as("sent once, by one instance").isEqualTo(1);

		HttpBrowser onB = new HttpBrowser(port(b));
		assertThat(onB.get(Mailbox.pathOf(link)).redirectPath()).isEqualTo("/password/reset");
		HttpBrowser.Page form = onB.get("/password/reset");
		assertThat(onB
			.post("/password/reset", Map.of("code", recoveryCode, "newPassword", "lantern orbit cellar tulip",
					"confirmPassword", "lantern orbit cellar tulip"), form.csrfToken())
			.redirectPath()).isEqualTo("/login");
		assertThat(new HttpBrowser(port(a))
			.submit("/login", "/login", Map.of("username", username, "password", "lantern orbit cellar tulip"))
			.redirectPath()).isEqualTo("/verify-2fa");
	}

	private static long mailFilesTo(String email, String subject) throws IOException {
		try (Stream<Path> files = Files.list(MAIL)) {
			return files.filter((file) -> file.toString().endsWith(".eml")).filter((file) -> {
				try {
					String eml = Files.readString(file);
					return eml.contains("To: " + email) && eml.contains(subject);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}).count();
		}
	}

	private static int port(ConfigurableApplicationContext instance) {
		return Integer.parseInt(instance.getEnvironment().getRequiredProperty("local.server.port"));
	}

	private static Path createMailDirectory() {
		try {
			return Files.createTempDirectory("two-instances-mail");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
