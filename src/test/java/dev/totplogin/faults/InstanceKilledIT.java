package dev.totplogin.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import dev.totplogin.TotpLoginApplication;
import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.TestAccounts;
import dev.totplogin.support.TestTotp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance dies with {@code SIGKILL} (issue 18, section 2): the built jar, started as
 * its own process, killed the way an out-of-memory killer or a pulled plug would, with no
 * shutdown hook.
 */
class InstanceKilledIT {

	private static final String KEY = "a2lsbGVkLWluc3RhbmNlLXRlc3Qta2V5LTAxMjM0NTY=";

	private final Clock clock = Clock.systemUTC();

	@Test
	void passwordStepOnAWhenAIsKilledThenTheCodeOnBSignsInAndEveryRowSurvives() throws Exception {
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
			String url = postgres.getJdbcUrl("postgres", "postgres");
			List<String> database = List.of("--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
					"--spring.datasource.password=");
			Path work = Files.createTempDirectory("killed-a");
			try (ConfigurableApplicationContext b = new SpringApplicationBuilder(TotpLoginApplication.class)
				.run(arguments(database, 0, work).toArray(String[]::new))) {
				int portOfB = Integer.parseInt(b.getEnvironment().getProperty("local.server.port"));
				try (JarProcess a = JarProcess.start(work, arguments(database, freePort(), work))) {
					String username = "killed-on-a";
					String secret = new HttpBrowser(a.port()).registerAndEnroll(username, this.clock);
					long enrolled = TestTotp.step(this.clock.instant());
					JdbcTemplate jdbc = b.getBean(JdbcTemplate.class);
					List<Map<String, Object>> accountBefore = jdbc
						.queryForList("select id, username, password_hash, totp_secret, created_at from account");

					HttpBrowser person = new HttpBrowser(a.port());
					assertThat(person.passwordStep(username).redirectPath()).isEqualTo("/verify-2fa");
					a.kill();

					HttpBrowser onB = person.at(portOfB);
					HttpBrowser.Page signedIn = onB.submit("/verify-2fa", "/verify-2fa",
							Map.of("code", TestTotp.codeAfter(secret, this.clock, enrolled)));
					assertThat(signedIn.redirectPath()).isEqualTo("/");
					assertThat(onB.get("/").body()).contains("Signed in as", username);
					assertThat(jdbc
						.queryForList("select id, username, password_hash, totp_secret, created_at from account"))
						.isEqualTo(accountBefore);
					assertThat(jdbc.queryForObject("select count(*) from recovery_code r join account a on "
							+ "a.id = r.account_id where a.username = ?", Integer.class, username))
						.isEqualTo(10);
				}
			}
		}
	}

	/**
	 * The default setup (an H2 file under {@code ./data}, a generated key beside it),
	 * killed while people register and sign in: it starts again on its files, and every
	 * registration and sign-in that had been answered is there.
	 */
	@Test
	void embeddedDatabaseWhenKilledMidTrafficThenRestartsWithEveryAnsweredRegistrationAndSignIn() throws Exception {
		Path work = Files.createTempDirectory("killed-h2");
		int port = freePort();
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + port));
		arguments.addAll(TestAccounts.TEST_SETTINGS);
		arguments.add("--app.security.registration-limit.per-ip-per-hour=1000000");
		Map<String, Enrolled> enrolled = new ConcurrentHashMap<>();
		try (JarProcess first = JarProcess.start(work, arguments)) {
			ExecutorService traffic = Executors.newFixedThreadPool(2);
			List<Future<?>> workers = new ArrayList<>();
			for (int worker = 0; worker < 2; worker++) {
				String prefix = "w" + worker + "n";
				workers.add(traffic.submit(() -> registerUntilKilled(port, prefix, enrolled)));
			}
			// Registrations and enrollments under way, then the kill mid-stream.
			await().atMost(Duration.ofMinutes(2)).until(() -> enrolled.size() >= 6);
			first.kill();
			for (Future<?> worker : workers) {
				worker.get();
			}
			traffic.shutdown();
		}
		assertThat(enrolled).hasSizeGreaterThan(4);

		// The files as the killed process left them: every answered enrollment, with the
		// step its code used.
		try (Connection connection = DriverManager
			.getConnection("jdbc:h2:file:" + work.resolve("data").resolve("totp-login"), "sa", "")) {
			JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
			for (Enrolled person : enrolled.values()) {
				Map<String, Object> row = jdbc.queryForMap(
						"select totp_secret, last_totp_step from account where username = ?", person.username());
				assertThat(row.get("TOTP_SECRET")).as(person.username()).isNotNull();
				assertThat(((Number) row.get("LAST_TOTP_STEP")).longValue()).as(person.username())
					.isBetween(person.stepsFrom(), person.stepsTo());
			}
		}

		try (JarProcess second = JarProcess.start(work, arguments)) {
			long used = enrolled.values().stream().mapToLong(Enrolled::stepsTo).max().orElse(0);
			for (Enrolled person : enrolled.values()) {
				HttpBrowser browser = new HttpBrowser(second.port());
				assertThat(browser.passwordStep(person.username()).redirectPath()).as(person.username())
					.isEqualTo("/verify-2fa");
				assertThat(browser
					.submit("/verify-2fa", "/verify-2fa",
							Map.of("code", TestTotp.codeAfter(person.secret(), this.clock, used)))
					.redirectPath()).as(person.username()).isEqualTo("/");
			}
			assertThat(second.output()).doesNotContain("corrupt", "MVStoreException");
		}
	}

	/**
	 * A person whose enrollment was answered; its code's step lies between the two
	 * readings of the clock around it.
	 */
	record Enrolled(String username, String secret, long stepsFrom, long stepsTo) {
	}

	/**
	 * Registers and enrolls people one after another until the server stops answering;
	 * records each whose enrollment was answered.
	 */
	private Void registerUntilKilled(int port, String prefix, Map<String, Enrolled> enrolled) {
		for (int n = 0;; n++) {
			String username = prefix + n;
			long from = TestTotp.step(this.clock.instant());
			try {
				String secret = new HttpBrowser(port).registerAndEnroll(username, this.clock);
				enrolled.put(username, new Enrolled(username, secret, from, TestTotp.step(this.clock.instant())));
			}
			catch (IllegalStateException ex) {
				// The server was killed during this person's registration: not in the
				// ledger.
				assertThat(ex).hasRootCauseInstanceOf(IOException.class);
				return null;
			}
		}
	}

	private static List<String> arguments(List<String> database, int port, Path work) {
		List<String> arguments = new ArrayList<>(database);
		arguments.addAll(List.of("--server.port=" + port, "--app.security.encryption.key=" + KEY,
				"--app.mail.directory=" + work.resolve("mail"),
				"--app.security.registration-limit.per-ip-per-hour=1000000"));
		arguments.addAll(TestAccounts.TEST_SETTINGS);
		return arguments;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** The built jar ({@code target/totp-login-*.jar}) as a process of its own. */
	record JarProcess(Process process, int port, Path logFile) implements AutoCloseable {

		static JarProcess start(Path workingDirectory, List<String> arguments) throws Exception {
			Path jar;
			try (Stream<Path> files = Files.list(Path.of("target"))) {
				jar = files.filter((file) -> file.getFileName().toString().matches("totp-login-.*\\.jar"))
					.findFirst()
					.orElseThrow()
					.toAbsolutePath();
			}
			int port = arguments.stream()
				.filter((argument) -> argument.startsWith("--server.port="))
				.map((argument) -> Integer.parseInt(argument.substring("--server.port=".length())))
				.findFirst()
				.orElseThrow();
			List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
				// C1 only: the process starts in about half the time, which is all a test
				// needs of it.
				.toString(), "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
			command.addAll(arguments);
			Path log = Files.createTempFile(workingDirectory, "server", ".log");
			Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			HttpClient http = HttpClient.newHttpClient();
			HttpRequest signInPage = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login")).build();
			try {
				await().atMost(Duration.ofMinutes(2))
					.pollInterval(Duration.ofMillis(200))
					// Connection refused until Tomcat listens.
					.ignoreExceptionsInstanceOf(IOException.class)
					.until(() -> {
						assertThat(process.isAlive()).as("server running (see %s)", log).isTrue();
						return http.send(signInPage, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
					});
			}
			catch (Throwable notUp) {
				process.destroyForcibly();
				throw notUp;
			}
			return new JarProcess(process, port, log);
		}

		/** SIGKILL: no shutdown hook, no graceful shutdown, no flush. */
		void kill() throws InterruptedException {
			this.process.destroyForcibly();
			this.process.waitFor();
			assertThat(this.process.exitValue()).isEqualTo(137);
		}

		String output() throws IOException {
			return Files.readString(this.logFile);
		}

		/** Whatever happened in the test, no server is left running. */
		@Override
		public void close() {
			this.process.destroyForcibly();
		}

	}

}
