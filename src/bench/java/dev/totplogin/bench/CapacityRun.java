package dev.totplogin.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.totplogin.crypto.SecretCipher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The database side of a login, for the capacity model of docs/performance.md: the application (the jar,
 * {@code prod}-like on PostgreSQL 17, the embedded server the tests use) signs people in while
 * {@code pg_stat_statements} counts every statement; then the same for page views of a signed-in session; then
 * PostgreSQL's own rate of single-row committed writes on this machine ({@code fsync} and {@code synchronous_commit}
 * on). Writes docs/benchmarks-capacity.md.
 */
public final class CapacityRun {

	private static final int USERS = 2_000;

	private static final int PAGE_VIEWS = 1_000;

	private static final int[] WRITERS = { 1, 4, 16, 32 };

	private static final Duration WRITE_RUN = Duration.ofSeconds(8);

	private CapacityRun() {
	}

	/** What the statements of one measured stretch were, per login (or per page view). */
	record Statements(double reads, double writes, double transactions, double readOnlyTransactions,
			Map<String, Double> writesByTable, List<String> topStatements) {

		double total() {
			return this.reads + this.writes;
		}

	}

	public static void main(String[] args) throws Exception {
		Path docs = Path.of(args.length > 0 ? args[0] : "docs");
		Path work = Path.of("target", "bench-capacity");
		BenchmarkRun.recreate(work);
		byte[] keyBytes = new byte[32];
		new SecureRandom().nextBytes(keyBytes);
		String key = Base64.getEncoder().encodeToString(keyBytes);
		String hash = Seeder.passwordEncoder().encode(Seeder.PASSWORD);
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setServerConfig("shared_preload_libraries", "pg_stat_statements")
			.setServerConfig("pg_stat_statements.track_utility", "on")
			// What a primary that must not lose a commit runs with (the embedded default turns them off for tests).
			.setServerConfig("fsync", "on")
			.setServerConfig("synchronous_commit", "on")
			.start()) {
			String url = postgres.getJdbcUrl("postgres", "postgres");
			execute(url, "create extension if not exists pg_stat_statements");
			String[] secrets = Seeder.seed(url, "postgres", "", USERS, 0, new SecretCipher(keyBytes, List.of()),
					"{argon2}" + hash);
			List<Store> stores = new ArrayList<>();
			stores.add(measure("JDBC", url, key, secrets, work, List.of()));
			if (Files.isExecutable(REDIS_SERVER)) {
				try (Redis redis = Redis.start(work.resolve("redis"), 18379)) {
					stores.add(measure("Redis", url, key, secrets, work, List.of("--spring.profiles.active=redis",
							"--spring.data.redis.port=" + redis.port, "--spring.data.redis.password=" + redis.password)));
				}
			}
			else {
				BenchmarkRun.log("no %s: the Redis store is not measured (apt-get install redis-server)", REDIS_SERVER);
			}
			Map<Integer, Double> commitsPerSecond = new LinkedHashMap<>();
			execute(url, "create table capacity_probe (id int primary key, n bigint not null)");
			execute(url, "insert into capacity_probe select g, 0 from generate_series(1, 64) g");
			for (int writers : WRITERS) {
				commitsPerSecond.put(writers, writeRate(url, writers));
				BenchmarkRun.log("%d writers: %.0f commits/s", writers, commitsPerSecond.get(writers));
			}
			String version = query(url, "select version()");
			write(docs.resolve("benchmarks-capacity.md"), version, stores, commitsPerSecond);
		}
	}

	/** What one session store cost the database: per login, per view of the home page, per view of /account. */
	record Store(String name, double logins, Statements login, Statements home, Statements account) {
	}

	private static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");

	/** The application with one session store, counted: full logins, then page views of one signed-in session. */
	private static Store measure(String name, String url, String key, String[] secrets, Path work,
			List<String> arguments) throws Exception {
		List<String> all = new ArrayList<>(List.of("--spring.datasource.username=postgres", "--spring.datasource.password="));
		all.addAll(arguments);
		try (BenchServer server = BenchServer.start(BenchmarkRun.java(), Map.of(), BenchmarkRun.findJar(), List.of(), url,
				key, 18280, work.resolve("server-" + name + ".log"), all)) {
			LoadDriver driver = new LoadDriver(server.port, secrets);
			int warm = 0;
			while (warm < 500) {
				warm += driver.run(4, Duration.ofSeconds(5)).logins();
			}
			reset(url);
			LoadDriver.Result logins = driver.run(4, Duration.ofSeconds(30));
			if (logins.errors() > 0 || logins.logins() == 0) {
				throw new IllegalStateException(logins.errors() + " errors: " + driver.lastError);
			}
			Statements perLogin = statements(url, logins.logins());
			BenchmarkRun.log("%s: %,d logins: %.1f statements each (%.1f writes, %.1f + %.1f read-only transactions)",
					name, logins.logins(), perLogin.total(), perLogin.writes(), perLogin.transactions(),
					perLogin.readOnlyTransactions());
			Statements home = pageViews(url, driver, "/");
			Statements account = pageViews(url, driver, "/account");
			BenchmarkRun.log("%s: page views: / %.2f statements each, /account %.2f", name, home.total(),
					account.total());
			return new Store(name, logins.logins(), perLogin, home, account);
		}
	}

	private static Statements pageViews(String url, LoadDriver driver, String path) throws Exception {
		driver.pageViews(path, 10);
		reset(url);
		int views = driver.pageViews(path, PAGE_VIEWS);
		if (views != PAGE_VIEWS) {
			throw new IllegalStateException(views + " of " + PAGE_VIEWS + " page views of " + path + " answered 200");
		}
		// The one sign-in before the views is counted with them: under 0.05 of a statement a view.
		return statements(url, views);
	}

	/** Debian's redis-server on a port of its own, with a password, its files under {@code directory}. */
	private static final class Redis implements AutoCloseable {

		private final Process process;

		final int port;

		final String password;

		private Redis(Process process, int port, String password) {
			this.process = process;
			this.port = port;
			this.password = password;
		}

		static Redis start(Path directory, int port) throws Exception {
			Files.createDirectories(directory);
			byte[] random = new byte[18];
			new SecureRandom().nextBytes(random);
			String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
			Process process = new ProcessBuilder(REDIS_SERVER.toString(), "--port", Integer.toString(port), "--bind",
					"127.0.0.1", "--requirepass", password, "--dir", directory.toAbsolutePath().toString(), "--save", "",
					"--appendonly", "no")
				.redirectErrorStream(true)
				.redirectOutput(directory.resolve("redis.log").toFile())
				.start();
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (System.nanoTime() < deadline) {
				try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
					return new Redis(process, port, password);
				}
				catch (IOException notYet) {
					Thread.sleep(50);
				}
			}
			process.destroyForcibly();
			throw new IllegalStateException("redis-server did not listen within 20 s");
		}

		@Override
		public void close() throws InterruptedException {
			this.process.destroy();
			this.process.waitFor();
		}

	}

	/** Single-row UPDATEs, each its own committed transaction, every writer on its own row. */
	private static double writeRate(String url, int writers) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(writers);
		List<Future<Integer>> counts = new ArrayList<>();
		long end = System.nanoTime() + WRITE_RUN.toNanos();
		long start = System.nanoTime();
		for (int w = 0; w < writers; w++) {
			int row = w + 1;
			counts.add(pool.submit(() -> {
				int commits = 0;
				try (Connection connection = DriverManager.getConnection(url);
						PreparedStatement update = connection
							.prepareStatement("update capacity_probe set n = n + 1 where id = ?")) {
					update.setInt(1, row);
					while (System.nanoTime() < end) {
						if (update.executeUpdate() != 1) {
							throw new IllegalStateException("no row updated");
						}
						commits++;
					}
				}
				return commits;
			}));
		}
		int total = 0;
		for (Future<Integer> count : counts) {
			total += count.get();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		pool.shutdown();
		return total / seconds;
	}

	private static void reset(String url) throws SQLException {
		execute(url, "select pg_stat_statements_reset()");
		execute(url, "select pg_stat_reset()");
	}

	/** Everything pg_stat_statements counted since the reset, divided by {@code per}. */
	private static Statements statements(String url, double per) throws SQLException {
		double reads = 0;
		double writes = 0;
		double transactions = 0;
		double readOnly = 0;
		List<String> top = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select query, calls from pg_stat_statements "
						+ "where dbid = (select oid from pg_database where datname = current_database()) "
						+ "and query not like '%pg_stat%' order by calls desc")) {
			while (rows.next()) {
				String query = rows.getString(1).strip();
				double calls = rows.getLong(2) / per;
				String verb = query.split("\\s+")[0].toLowerCase(Locale.ROOT);
				switch (verb) {
					case "select", "with" -> reads += calls;
					case "insert", "update", "delete", "merge" -> writes += calls;
					// Each transaction opens with BEGIN (pgjdbc); its COMMIT travels as a protocol message.
					case "begin" -> {
						if (query.toLowerCase(Locale.ROOT).contains("read only")) {
							readOnly += calls;
						}
						else {
							transactions += calls;
						}
					}
					default -> {
					}
				}
				if (top.size() < 14 && calls >= 0.05 && !verb.equals("begin")) {
					top.add(String.format(Locale.ROOT, "| %.2f | `%s` |", calls, abbreviate(query)));
				}
			}
		}
		Map<String, Double> byTable = new LinkedHashMap<>();
		try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select relname, n_tup_ins + n_tup_upd + n_tup_del "
						+ "from pg_stat_user_tables where n_tup_ins + n_tup_upd + n_tup_del > 0 order by 2 desc")) {
			while (rows.next()) {
				byTable.put(rows.getString(1), rows.getLong(2) / per);
			}
		}
		return new Statements(reads, writes, transactions, readOnly, byTable, top);
	}

	private static String abbreviate(String query) {
		String oneLine = query.replaceAll("\\s+", " ").replace("|", "\\|");
		return (oneLine.length() > 110) ? oneLine.substring(0, 107) + "..." : oneLine;
	}

	private static void execute(String url, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static String query(String url, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getString(1);
		}
	}

	private static void write(Path file, String version, List<Store> stores, Map<Integer, Double> commitsPerSecond)
			throws IOException {
		List<String> lines = new ArrayList<>();
		lines.add("# Capacity: the database side of a login");
		lines.add("");
		lines.add(String.format(Locale.ROOT,
				"One run of `bench/capacity.sh` on %s: %d cores, %s, with `fsync` and `synchronous_commit` on; "
						+ "the application (the jar) on the same machine, with each session store in turn (%s). "
						+ "Statements counted by `pg_stat_statements` over the full logins of 4 users at once for "
						+ "30 s, then %,d page views each of `/` and of `/account` in one signed-in session.",
				LocalDate.now(), Runtime.getRuntime().availableProcessors(), version.split(",")[0],
				String.join(", ", stores.stream().map(Store::name).toList()), PAGE_VIEWS));
		lines.add("");
		lines.add("| session store | per | statements | reads (SELECT) | writes (INSERT/UPDATE/DELETE) | "
				+ "read-write transactions (commits) | read-only transactions |");
		lines.add("|---|---|---|---|---|---|---|");
		for (Store store : stores) {
			lines.add(row(store.name(), "full login (5 requests)", store.login()));
			lines.add(row(store.name(), "page view of `/`, signed in", store.home()));
			lines.add(row(store.name(), "page view of `/account`, signed in", store.account()));
		}
		lines.add("");
		double best = commitsPerSecond.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
		lines.add(String.format(Locale.ROOT,
				"**What one PostgreSQL primary like this one carries**, bound by its committed writes (%,.0f commits/s "
						+ "at best, below) and each login's read-write transactions, with nothing else on it:",
				best));
		lines.add("");
		lines.add("| session store | commits per login | logins/s the primary carries | page views of `/` per s |");
		lines.add("|---|---|---|---|");
		for (Store store : stores) {
			double homeCommits = store.home().transactions();
			lines.add(String.format(Locale.ROOT, "| %s | %.1f | %,.0f | %s |", store.name(),
					store.login().transactions(), best / store.login().transactions(),
					(homeCommits < 0.01) ? "no commit (reads only)" : String.format(Locale.ROOT, "%,.0f", best / homeCommits)));
		}
		lines.add("");
		for (Store store : stores) {
			lines.add("Rows written per login, " + store.name() + ": " + tables(store.login()) + ". Per view of `/`: "
					+ tables(store.home()) + ".");
			lines.add("");
		}
		lines.add("Statements do not count `BEGIN`; each transaction is one `BEGIN` and one commit.");
		lines.add("");
		for (Store store : stores) {
			lines.add("## The statements of one login, " + store.name() + ", most frequent first");
			lines.add("");
			lines.add("| per login | statement |");
			lines.add("|---|---|");
			lines.addAll(store.login().topStatements());
			lines.add("");
		}
		lines.add("## PostgreSQL's write rate on this machine");
		lines.add("");
		lines.add("Single-row `UPDATE`s, each committed on its own, every writer on its own row, "
				+ WRITE_RUN.toSeconds() + " s per level:");
		lines.add("");
		lines.add("| writers | commits/s |");
		lines.add("|---|---|");
		commitsPerSecond
			.forEach((writers, rate) -> lines.add(String.format(Locale.ROOT, "| %d | %,.0f |", writers, rate)));
		lines.add("");
		Files.createDirectories(file.getParent());
		Files.write(file, lines);
	}

	private static String row(String store, String label, Statements statements) {
		return String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f |", store, label,
				statements.total(), statements.reads(), statements.writes(), statements.transactions(),
				statements.readOnlyTransactions());
	}

	private static String tables(Statements statements) {
		List<String> parts = new ArrayList<>();
		statements.writesByTable()
			.forEach((table, rows) -> parts.add(String.format(Locale.ROOT, "`%s` %.2f", table, rows)));
		return parts.isEmpty() ? "none" : String.join(", ", parts);
	}

}
