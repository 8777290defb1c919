package dev.totplogin.bench;

import java.awt.Color;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.totplogin.crypto.SecretCipher;
import dev.totplogin.support.TestTotp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Sustained mixed traffic on two instances (issue 18, section 4): the jar twice, with the run options of
 * docs/performance.md, on one embedded PostgreSQL; virtual users sign in, look at their account page and sign out, type
 * wrong passwords and wrong codes, and register, each in a loop that ends at the deadline. Every 10 s: p50/p99 per kind
 * of request, errors, heap after GC and RSS per instance, open database connections, rows in the session table (and of
 * them expired ones). Sessions live 2 minutes here, so that expiry and Spring Session's clean-up happen within the run.
 * Writes docs/soak.md and docs/soak.png.
 */
public final class SoakRun {

	private static final Duration SAMPLE = Duration.ofSeconds(10);

	private static final int USERS = 6;

	private static final int ACCOUNTS = 3_000;

	private static final String[] KINDS = { "sign-in", "account page", "sign-out", "wrong password", "wrong code",
			"registration" };

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	/** The last answer that was not as designed, per kind: to say in the report what the errors were. */
	static final Map<String, String> LAST_ERRORS = new ConcurrentHashMap<>();

	private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

	/** The run options for the jar (docs/performance.md, Memory). */
	static final List<String> README_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx112m",
			"-XX:MaxMetaspaceSize=160m", "-Xss512k", "-XX:ReservedCodeCacheSize=40m");

	private SoakRun() {
	}

	/** One request: when it ended (ms since the start), what it was, how long it took, whether it was as designed. */
	record Request(long endedMillis, int kind, long micros, boolean error, boolean busy) {
	}

	/** One 10-second sample. */
	record Sample(int second, Map<String, long[]> latency, int requests, int errors, int busy, long[] heapAfterGc,
			long[] liveHeap, long[] rss, int connections, int sessions, int expiredSessions) {
	}

	public static void main(String[] args) throws Exception {
		Duration length = Duration.ofMinutes((args.length > 0) ? Long.parseLong(args[0]) : 10);
		Path docs = Path.of((args.length > 1) ? args[1] : "docs");
		Path work = Path.of("target", "bench-soak");
		BenchmarkRun.recreate(work);
		byte[] keyBytes = new byte[32];
		new SecureRandom().nextBytes(keyBytes);
		String key = Base64.getEncoder().encodeToString(keyBytes);
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
			String url = postgres.getJdbcUrl("postgres", "postgres");
			String[] secrets = Seeder.seed(url, "postgres", "", ACCOUNTS, 0, new SecretCipher(keyBytes, List.of()),
					"{argon2}" + Seeder.passwordEncoder().encode(Seeder.PASSWORD));
			List<BenchServer> servers = new ArrayList<>();
			List<Path> gcLogs = new ArrayList<>();
			try {
				for (int i = 0; i < 2; i++) {
					Path gcLog = work.resolve("gc" + i + ".log").toAbsolutePath();
					gcLogs.add(gcLog);
					List<String> jvm = new ArrayList<>(README_OPTIONS);
					jvm.add("-Xlog:gc:file=" + gcLog);
					servers.add(BenchServer.start(BenchmarkRun.java(), Map.of("MALLOC_ARENA_MAX", "1"),
							BenchmarkRun.findJar(), jvm, url, key, 18380 + i, work.resolve("server" + i + ".log"),
							List.of("--spring.datasource.username=postgres", "--spring.datasource.password=",
									"--server.servlet.session.timeout=2m")));
				}
				List<Sample> samples = run(length, servers, gcLogs, url, secrets);
				write(docs, length, samples);
			}
			finally {
				for (BenchServer server : servers) {
					server.close();
				}
			}
		}
	}

	private static List<Sample> run(Duration length, List<BenchServer> servers, List<Path> gcLogs, String url,
			String[] secrets) throws Exception {
		List<Request> requests = Collections.synchronizedList(new ArrayList<>());
		long start = System.nanoTime();
		long deadline = start + length.toNanos();
		Map<Integer, Long> lastStep = new ConcurrentHashMap<>();
		AtomicInteger nextAccount = new AtomicInteger();
		AtomicInteger registrations = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(USERS);
		List<Future<?>> users = new ArrayList<>();
		for (int u = 0; u < USERS; u++) {
			BenchServer server = servers.get(u % servers.size());
			Random random = new Random(u);
			users.add(pool.submit(() -> {
				while (System.nanoTime() < deadline) {
					Visit visit = new Visit(server.port, requests, start);
					int dice = random.nextInt(100);
					if (dice < 55) {
						int account = Math.floorMod(nextAccount.getAndIncrement(), secrets.length / 2);
						long step = Instant.now().getEpochSecond() / 30;
						if (lastStep.getOrDefault(account, -1L) >= step) {
							continue;
						}
						lastStep.put(account, step);
						visit.signInLookAroundAndSignOut(account, secrets[account], random.nextInt(3) + 1);
					}
					else if (dice < 70) {
						visit.wrongPassword("user" + (secrets.length / 2 + random.nextInt(secrets.length / 4)));
					}
					else if (dice < 85) {
						int account = secrets.length * 3 / 4 + random.nextInt(secrets.length / 4);
						visit.wrongCode(account);
					}
					else {
						visit.register("soak" + registrations.incrementAndGet());
					}
					Thread.sleep(50);
				}
				return null;
			}));
		}
		List<Sample> samples = new ArrayList<>();
		int index = 0;
		while (System.nanoTime() < deadline) {
			Thread.sleep(SAMPLE.toMillis());
			index++;
			long windowEnd = (System.nanoTime() - start) / 1_000_000;
			long windowStart = windowEnd - SAMPLE.toMillis();
			List<Request> window;
			synchronized (requests) {
				window = requests.stream()
					.filter((r) -> r.endedMillis() > windowStart && r.endedMillis() <= windowEnd)
					.toList();
			}
			Map<String, long[]> latency = new LinkedHashMap<>();
			for (int kind = 0; kind < KINDS.length; kind++) {
				int k = kind;
				long[] micros = window.stream()
					.filter((r) -> r.kind() == k && !r.error() && !r.busy())
					.mapToLong(Request::micros)
					.sorted()
					.toArray();
				latency.put(KINDS[kind], new long[] { percentile(micros, 50), percentile(micros, 99), micros.length });
			}
			long[] heap = new long[servers.size()];
			long[] live = new long[servers.size()];
			long[] rss = new long[servers.size()];
			for (int i = 0; i < servers.size(); i++) {
				heap[i] = heapAfterLastGc(gcLogs.get(i), "");
				rss[i] = servers.get(i).rssMib();
				// Once a minute the live set: a young collection's "after" still holds the old generation's garbage,
				// which only a full collection removes (the pause, tens of ms, lands in the next sample).
				live[i] = (index % 6 == 0) ? liveHeap(servers.get(i), gcLogs.get(i)) : -1;
			}
			int[] database = database(url);
			Sample sample = new Sample(index * (int) SAMPLE.toSeconds(), latency, window.size(),
					(int) window.stream().filter(Request::error).count(),
					(int) window.stream().filter(Request::busy).count(), heap, live, rss, database[0], database[1],
					database[2]);
			samples.add(sample);
			BenchmarkRun.log("%4d s: %d requests, %d errors, %d busy; sign-in p99 %d ms; heap %s MiB, RSS %s MiB; "
					+ "%d connections, %d sessions (%d expired)", sample.second(), sample.requests(), sample.errors(),
					sample.busy(), latency.get("sign-in")[1] / 1000, Arrays.toString(heap), Arrays.toString(rss),
					database[0], database[1], database[2]);
			if (sample.errors() > 0) {
				BenchmarkRun.log("errors, the last of each kind: %s", LAST_ERRORS);
			}
		}
		for (Future<?> user : users) {
			user.get();
		}
		pool.shutdown();
		return samples;
	}

	/** One virtual user's visit: its own cookies, over plain HTTP to one instance. */
	static final class Visit {

		private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

		private final Map<String, String> cookies = new LinkedHashMap<>();

		private final String base;

		private final List<Request> requests;

		private final long start;

		Visit(int port, List<Request> requests, long start) {
			this.base = "http://localhost:" + port;
			this.requests = requests;
			this.start = start;
		}

		void signInLookAroundAndSignOut(int account, String secret, int pageViews) throws Exception {
			long began = System.nanoTime();
			String codePage = passwordStep(account, 0, began);
			if (codePage == null) {
				return;
			}
			HttpResponse<String> code = post("/verify-2fa",
					"code=" + TestTotp.code(secret, Instant.now()) + "&_csrf=" + csrf(codePage));
			record(0, began, code, redirectsTo(code, "/"));
			if (!redirectsTo(code, "/")) {
				return;
			}
			String page = null;
			for (int i = 0; i < pageViews; i++) {
				long viewed = System.nanoTime();
				HttpResponse<String> view = send(HttpRequest.newBuilder(URI.create(this.base + "/account")).GET());
				record(1, viewed, view, view.statusCode() == 200 && view.body().contains("user" + account));
				page = view.body();
			}
			long signedOut = System.nanoTime();
			HttpResponse<String> out = post("/logout", "_csrf=" + csrf(page));
			record(2, signedOut, out, out.statusCode() == 302);
		}

		void wrongPassword(String username) throws Exception {
			long began = System.nanoTime();
			String login = page("/login", 3, began);
			if (login == null) {
				return;
			}
			HttpResponse<String> answer = post("/login",
					"username=" + username + "&password=not-the-password&_csrf=" + csrf(login));
			record(3, began, answer, redirectsTo(answer, "/login"));
		}

		void wrongCode(int account) throws Exception {
			long began = System.nanoTime();
			String codePage = passwordStep(account, 4, began);
			if (codePage == null) {
				return;
			}
			HttpResponse<String> answer = post("/verify-2fa", "code=000000&_csrf=" + csrf(codePage));
			// A wrong code is answered on the code page: with "didn't work", or, after five, the lock's message.
			record(4, began, answer, answer.statusCode() == 200);
		}

		void register(String username) throws Exception {
			long began = System.nanoTime();
			String form = page("/register", 5, began);
			if (form == null) {
				return;
			}
			// The seeded password is refused by the policy for new accounts (a dictionary phrase): a random one here.
			byte[] random = new byte[12];
			new SecureRandom().nextBytes(random);
			String password = encode("soak " + Base64.getEncoder().encodeToString(random));
			HttpResponse<String> answer = post("/register", "username=" + username + "&password=" + password
					+ "&confirmPassword=" + password + "&_csrf=" + csrf(form));
			record(5, began, answer, redirectsTo(answer, "/setup-2fa"));
		}

		/**
		 * The sign-in form and the right password: the code page, or null when either did not answer as designed
		 * (a password step that did not lead to the code page is recorded as a failure of {@code kind}).
		 */
		private String passwordStep(int account, int kind, long began) throws Exception {
			String login = page("/login", kind, began);
			if (login == null) {
				return null;
			}
			HttpResponse<String> password = post("/login",
					"username=user" + account + "&password=" + encode(Seeder.PASSWORD) + "&_csrf=" + csrf(login));
			if (!redirectsTo(password, "/verify-2fa")) {
				record(kind, began, password);
				return null;
			}
			return page("/verify-2fa", kind, began);
		}

		private void record(int kind, long began, HttpResponse<String> answer) {
			record(kind, began, answer, false);
		}

		/** As designed: {@code expected}, or the hashing guard's 503 (counted apart). */
		private void record(int kind, long began, HttpResponse<String> answer, boolean expected) {
			boolean busy = answer.statusCode() == 503;
			long now = System.nanoTime();
			if (!expected && !busy) {
				LAST_ERRORS.put(KINDS[kind], answer.request().method() + " " + answer.request().uri().getPath() + " → "
						+ answer.statusCode() + " " + answer.headers().firstValue("Location").orElse("") + " "
						+ feedback(answer.body()));
			}
			this.requests.add(new Request((now - this.start) / 1_000_000, kind, (now - began) / 1000,
					!expected && !busy, busy));
		}

		/** A page's body; or null, the answer recorded as a failure of {@code kind}, when it is not a 200. */
		private String page(String path, int kind, long began) throws Exception {
			HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(this.base + path)).GET());
			if (page.statusCode() != 200) {
				record(kind, began, page);
				return null;
			}
			return page.body();
		}

		private HttpResponse<String> post(String path, String form) throws Exception {
			return send(HttpRequest.newBuilder(URI.create(this.base + path))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form)));
		}

		private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
			if (!this.cookies.isEmpty()) {
				request.header("Cookie", this.cookies.entrySet()
					.stream()
					.map((e) -> e.getKey() + "=" + e.getValue())
					.collect(Collectors.joining("; ")));
			}
			HttpResponse<String> response = this.http.send(request.timeout(Duration.ofSeconds(60)).build(),
					HttpResponse.BodyHandlers.ofString());
			for (String value : response.headers().allValues("Set-Cookie")) {
				String pair = value.split(";")[0];
				int equals = pair.indexOf('=');
				if (value.contains("Max-Age=0")) {
					this.cookies.remove(pair.substring(0, equals));
				}
				else {
					this.cookies.put(pair.substring(0, equals), pair.substring(equals + 1));
				}
			}
			return response;
		}

		/** The form's messages, if the answer is a form shown again. */
		private static String feedback(String body) {
			Matcher matcher = Pattern.compile("(?:invalid-feedback|alert-danger)[^>]*>([^<]+)<").matcher(body);
			List<String> messages = new ArrayList<>();
			while (matcher.find()) {
				messages.add(matcher.group(1).strip());
			}
			return String.join("; ", messages);
		}

		private static boolean redirectsTo(HttpResponse<String> response, String path) {
			return response.statusCode() == 302
					&& URI.create(response.headers().firstValue("Location").orElse("")).getPath().equals(path);
		}

		private static String csrf(String page) {
			Matcher matcher = CSRF.matcher(page);
			if (!matcher.find()) {
				throw new IllegalStateException("no CSRF token");
			}
			return encode(matcher.group(1));
		}

		private static String encode(String value) {
			return URLEncoder.encode(value, StandardCharsets.UTF_8);
		}

	}

	private static long percentile(long[] sorted, double percentile) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile / 100 * sorted.length) - 1);
		return sorted[Math.max(0, index)];
	}

	/** A full collection now (jcmd GC.run), and the heap (MiB) it left. */
	private static long liveHeap(BenchServer server, Path gcLog) throws Exception {
		Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
				Long.toString(server.pid()), "GC.run")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (jcmd.waitFor() != 0) {
			throw new IllegalStateException("jcmd GC.run failed");
		}
		Thread.sleep(500);
		return heapAfterLastGc(gcLog, "Pause Full");
	}

	/** The heap (MiB) after the last collection the GC log shows (of the kind whose line contains {@code kind}). */
	private static long heapAfterLastGc(Path gcLog, String kind) throws IOException {
		long after = 0;
		for (String line : Files.readAllLines(gcLog)) {
			Matcher matcher = GC_LINE.matcher(line);
			if (line.contains(kind) && matcher.find()) {
				after = Long.parseLong(matcher.group(2));
			}
		}
		return after;
	}

	/** Client connections, rows in spring_session, and of them expired ones. */
	private static int[] database(String url) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url);
				Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("select (select count(*) from pg_stat_activity where "
						+ "backend_type = 'client backend' and pid <> pg_backend_pid()), "
						+ "(select count(*) from spring_session), (select count(*) from spring_session where "
						+ "expiry_time < extract(epoch from now()) * 1000)")) {
			row.next();
			return new int[] { row.getInt(1), row.getInt(2), row.getInt(3) };
		}
	}

	private static void write(Path docs, Duration length, List<Sample> samples) throws IOException {
		// The second minute (the first is the JIT's); in a run shorter than two minutes, the first.
		int from = (samples.size() >= 12) ? 6 : 0;
		List<Sample> secondMinute = samples.subList(from, Math.min(samples.size(), from + 6));
		Sample second = secondMinute.get(secondMinute.size() - 1);
		List<Sample> lastMinute = samples.subList(Math.max(0, samples.size() - 6), samples.size());
		double heapSecond = liveAt(secondMinute);
		double heapLast = liveAt(lastMinute);
		double rssSecond = average(secondMinute, (s) -> s.rss()[0] + s.rss()[1]);
		double rssLast = average(lastMinute, (s) -> s.rss()[0] + s.rss()[1]);
		double p99Second = average(secondMinute, (s) -> s.latency().get("sign-in")[1]);
		double p99Last = average(lastMinute, (s) -> s.latency().get("sign-in")[1]);
		int errors = samples.stream().mapToInt(Sample::errors).sum();
		int busy = samples.stream().mapToInt(Sample::busy).sum();
		int requests = samples.stream().mapToInt(Sample::requests).sum();
		int maxExpired = samples.stream().mapToInt(Sample::expiredSessions).max().orElse(0);
		int sessionsSecond = second.sessions();

		List<String> md = new ArrayList<>();
		md.add("# Soak: ten minutes of mixed traffic on two instances");
		md.add("");
		md.add(String.format(Locale.ROOT, "One run of `bench/soak.sh` on %s: %d cores, Java %s; the jar twice with "
				+ "the README's run options (`MALLOC_ARENA_MAX=1 java %s`) on one embedded PostgreSQL 17, sessions "
				+ "in it, living 2 minutes (so that expiry and clean-up happen within the run); %d virtual users "
				+ "(the driver on the same cores): 55 %% sign in, look at `/account` 1–3 times and sign out, 15 %% a "
				+ "wrong password, 15 %% a wrong code, 15 %% register. %s. Once a minute `jcmd GC.run` forces a full "
				+ "collection in each instance: what it leaves is the live set (after a young collection, the old "
				+ "generation's garbage still counts).", LocalDate.now(),
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
				String.join(" ", README_OPTIONS), USERS, length.toMinutes() + " minutes"));
		md.add("");
		md.add("| must hold | second minute | last minute | |");
		md.add("|---|---|---|---|");
		md.add(check("no error but the hashing guard's 503", errors + " errors in " + requests + " requests",
				busy + " busy (503)", errors == 0));
		md.add(check("heap after a full GC (the live set), both instances (within 10 %)", fmt(heapSecond) + " MiB",
				fmt(heapLast) + " MiB", heapLast <= heapSecond * 1.10));
		md.add(check("RSS, both instances (within 10 %)", fmt(rssSecond) + " MiB", fmt(rssLast) + " MiB",
				rssLast <= rssSecond * 1.10));
		md.add(check("sign-in p99 (within 1.5 ×)", fmt(p99Second / 1000) + " ms", fmt(p99Last / 1000) + " ms",
				p99Last <= p99Second * 1.5));
		// Sessions live 2 minutes and the clean-up runs every minute: from the fourth minute on the table holds the
		// last few minutes' sessions, and must stop growing (within 20 % of the fourth minute's rows).
		List<Sample> fourthMinute = samples.subList(Math.min(samples.size() - 1, 18), Math.min(samples.size(), 24));
		double sessionsFourth = average(fourthMinute, Sample::sessions);
		double sessionsLastMinute = average(lastMinute, Sample::sessions);
		md.add(check("finished sessions cleaned up: rows in the session table (fourth minute ÷ last, within 20 %)",
				sessionsSecond + " rows (fourth minute: " + fmt(sessionsFourth) + ")",
				fmt(sessionsLastMinute) + " rows; at most " + maxExpired + " expired but not yet deleted at a sample",
				sessionsLastMinute <= sessionsFourth * 1.2));
		md.add("");
		md.add("![sign-in latency and heap over time](soak.png)");
		md.add("");
		md.add("| s | requests | errors | busy | sign-in p50/p99 ms | account page p50/p99 | wrong password p99 | "
				+ "wrong code p99 | registration p99 | heap after GC MiB | live heap (full GC) | RSS MiB | connections | "
				+ "sessions (expired) |");
		md.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
		for (Sample s : samples) {
			Map<String, long[]> l = s.latency();
			md.add(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d / %d | %d / %d | %d | %d | %d | %d + %d | %s | %d + %d "
					+ "| %d | %d (%d) |", s.second(), s.requests(), s.errors(), s.busy(), l.get("sign-in")[0] / 1000,
					l.get("sign-in")[1] / 1000, l.get("account page")[0] / 1000, l.get("account page")[1] / 1000,
					l.get("wrong password")[1] / 1000, l.get("wrong code")[1] / 1000, l.get("registration")[1] / 1000,
					s.heapAfterGc()[0], s.heapAfterGc()[1],
					(s.liveHeap()[0] >= 0) ? s.liveHeap()[0] + " + " + s.liveHeap()[1] : "", s.rss()[0], s.rss()[1],
					s.connections(), s.sessions(), s.expiredSessions()));
		}
		Files.createDirectories(docs);
		Files.write(docs.resolve("soak.md"), md);
		chart(docs.resolve("soak.png"), samples);
	}

	/** Both instances' live heap at the minute's full collection. */
	private static double liveAt(List<Sample> minute) {
		return minute.stream()
			.filter((s) -> s.liveHeap()[0] >= 0)
			.mapToDouble((s) -> s.liveHeap()[0] + s.liveHeap()[1])
			.reduce((a, b) -> b)
			.orElse(Double.NaN);
	}

	private static String check(String figure, String second, String last, boolean held) {
		return "| " + figure + " | " + second + " | " + last + " | " + (held ? "held" : "**missed**") + " |";
	}

	private static double average(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> figure) {
		return samples.stream().mapToDouble(figure).average().orElse(0);
	}

	private static String fmt(double value) {
		return String.format(Locale.ROOT, "%.0f", value);
	}

	private static void chart(Path png, List<Sample> samples) throws IOException {
		XYSeries p50 = new XYSeries("sign-in p50 (ms)");
		XYSeries p99 = new XYSeries("sign-in p99 (ms)");
		XYSeries heap = new XYSeries("heap after GC, both instances (MiB)");
		XYSeries live = new XYSeries("live heap at the minute's full GC (MiB)");
		XYSeries rss = new XYSeries("RSS, both instances (MiB)");
		for (Sample s : samples) {
			p50.add(s.second(), s.latency().get("sign-in")[0] / 1000.0);
			p99.add(s.second(), s.latency().get("sign-in")[1] / 1000.0);
			heap.add(s.second(), s.heapAfterGc()[0] + s.heapAfterGc()[1]);
			if (s.liveHeap()[0] >= 0) {
				live.add(s.second(), s.liveHeap()[0] + s.liveHeap()[1]);
			}
			rss.add(s.second(), s.rss()[0] + s.rss()[1]);
		}
		XYSeriesCollection latency = new XYSeriesCollection();
		latency.addSeries(p50);
		latency.addSeries(p99);
		JFreeChart chart = ChartFactory.createXYLineChart("Soak: sign-in latency and memory over time", "seconds",
				"ms", latency);
		chart.setBackgroundPaint(Color.WHITE);
		XYPlot plot = chart.getXYPlot();
		plot.setBackgroundPaint(Color.WHITE);
		plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
		XYSeriesCollection memory = new XYSeriesCollection();
		memory.addSeries(heap);
		memory.addSeries(rss);
		memory.addSeries(live);
		plot.setDataset(1, memory);
		plot.setRangeAxis(1, new NumberAxis("MiB"));
		plot.mapDatasetToRangeAxis(1, 1);
		XYLineAndShapeRenderer memoryRenderer = new XYLineAndShapeRenderer(true, false);
		memoryRenderer.setSeriesPaint(0, new Color(0x198754));
		memoryRenderer.setSeriesPaint(1, new Color(0x6f42c1));
		memoryRenderer.setSeriesPaint(2, new Color(0xfd7e14));
		plot.setRenderer(1, memoryRenderer);
		XYLineAndShapeRenderer latencyRenderer = new XYLineAndShapeRenderer(true, false);
		latencyRenderer.setSeriesPaint(0, new Color(0x0b5ed7));
		latencyRenderer.setSeriesPaint(1, new Color(0xb02a37));
		plot.setRenderer(0, latencyRenderer);
		ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 450);
	}

}
