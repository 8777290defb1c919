package dev.totplogin.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import com.sun.management.OperatingSystemMXBean;
import dev.totplogin.crypto.SecretCipher;
import dev.totplogin.totp.TotpMicrobenchmarks;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Every benchmark of bench/run.sh, in one run on one machine, figures side by side: the hash-bound limit, logins/s
 * and latency per concurrency, CPU per login against CPU per hash and besides it, the same for Keycloak up beside
 * ours (its runs alternating with ours), start-up (plain; CDS / AOT cache when asked), memory, growth to a million
 * accounts, JMH microbenchmarks. Writes docs/benchmarks.md and docs/benchmarks-throughput.png.
 * <p>
 * A shared 2-core machine drifts in speed by tens of percent over minutes, so every ratio is taken between figures
 * measured next to each other: the hash is timed (in a {@link HashProbe}, for Keycloak by wrong-password sign-ins) just
 * before and just after each load run, ours and Keycloak's runs alternate, the two growth servers are run alternately,
 * the start-up variants one after another in each round.
 */
public final class BenchmarkRun {

	/**
	 * The native server's levels: the curve is known to rise to 8 users on 2 cores and flatten after (32 added
	 * nothing but queueing; 2 and 4 lay on the rise), so one level per shape: alone, the best, past it.
	 */
	static final int[] CONCURRENCY = { 1, 8, 16 };

	/** The Bouncy Castle server beside it: its best lies where the native one's does. */
	static final int[] JAVA_CONCURRENCY = { 8, 16 };

	static final int RUNS = Integer.getInteger("bench.rounds", 3);

	/**
	 * Sections that can be left out ({@code -Dbench.skip=a,b}, for short smoke runs and to fit the 15 minutes):
	 * "startup" (the fresh servers and every start-up figure), "variants" (the CDS / Spring AOT / AOT cache start-ups,
	 * their training runs, and the fresh Bouncy Castle servers, which start from the CDS archive), "bouncy-castle" (the
	 * Bouncy Castle load server), "keycloak", "growth", "jmh".
	 */
	static final java.util.Set<String> SKIP = java.util.Set
		.of(System.getProperty("bench.skip", "").split(","))
		.stream()
		.map(String::strip)
		.filter((name) -> !name.isEmpty())
		.collect(java.util.stream.Collectors.toUnmodifiableSet());

	static boolean runs(String section) {
		return !SKIP.contains(section);
	}

	/** How long each section took, s, in order: the report lists them. */
	static final Map<String, Long> SECTION_SECONDS = new java.util.LinkedHashMap<>();

	private static long sectionStart = System.nanoTime();

	/** Ends the section under way (its time since the previous one ended) and logs it. */
	static void section(String name) {
		long now = System.nanoTime();
		SECTION_SECONDS.merge(name, (now - sectionStart) / 1_000_000_000, Long::sum);
		sectionStart = now;
		log("section done: %s, %d s", name, SECTION_SECONDS.get(name));
	}

	/**
	 * Keycloak's virtual users: none signs in twice within one 30-s step up to 30 logins/s (it did 21–23 at 2–8 users
	 * on this machine in the measurements of issue 32); a user that would is counted as an error, never waited for.
	 * Each is enrolled at the warm-up, the longest part of it: no more than needed.
	 */
	static final int KEYCLOAK_USERS = Integer.getInteger("bench.keycloakUsers", 900);

	static final int KEYCLOAK_PORT = 18180;

	/** Wrong-password sign-ins per client, {@code cores} clients, just before and just after each Keycloak run. */
	static final int KEYCLOAK_HASH_CHECKS = 4;

	/**
	 * Freshly started native servers: the plain start-up median, and the spread of the check's cost from one JVM to the
	 * next (3, not 5, since Keycloak joined: about 35 s each).
	 */
	static final int FRESH_SERVERS = Integer.getInteger("bench.freshServers", 3);

	/**
	 * The same for Bouncy Castle, beside it, as a contrast (two servers show its two speeds only when they draw
	 * different ones); bench/argon2.sh pairs the implementations in many more fresh JVMs.
	 */
	static final int FRESH_JAVA_SERVERS = 2;

	/** Start-up rounds of the CDS and AOT variants (their spread is small). */
	static final int STARTUP_ROUNDS = 2;

	static final Duration RUN_TIME = Duration.ofSeconds(Integer.getInteger("bench.runSeconds", 5));

	/** Checks per probe thread before and after each load run. */
	static final int HASH_CHECKS = 4;

	static final int PROBE_PORT = 18090;

	/**
	 * Warm-up before the measured runs, ours and Keycloak at the same time (nothing is measured then; the Bouncy Castle
	 * server after them), each in chunks at 8 users until its JIT has settled: its compiler threads under
	 * {@link #SETTLED_JIT_MS} of CPU per login over a chunk (what it still compiles later is reported per run), or
	 * {@link #WARM_UP_LIMIT} at most (ours goes on while Keycloak is still at it; Bouncy Castle: 30 s). On this machine
	 * C2 has not settled after 120 s either (27 ms per login at the end of such a run; under 1 ms only after about 7,000
	 * logins): the report gives the JIT's share of each run beside it.
	 */
	static final Duration WARM_UP_CHUNK = Duration.ofSeconds(10);

	static final double SETTLED_JIT_MS = 1.0;

	static final Duration WARM_UP_LIMIT = Duration.ofSeconds(Integer.getInteger("bench.warmUpSeconds", 390));

	static final Duration JAVA_WARM_UP_LIMIT = Duration.ofSeconds(Math.min(30, WARM_UP_LIMIT.toSeconds()));

	private static final int USERS = 3_000;

	private static final int GROWTH_ACCOUNTS = 1_000_000;

	private static final Path WORK = Path.of("target", "bench");

	/** The jar extracted ({@code -Djarmode=tools extract}): a plain class path, for the CDS and AOT variants. */
	private static final Path EXTRACTED = WORK.resolve("extracted");

	/** The Java 17 CDS archive of the extracted jar. */
	private static final Path ARCHIVE = WORK.resolve("app.jsa");

	/** Spring AOT's bean definitions, used only when the JVM is started with this. */
	private static final String SPRING_AOT = "-Dspring.aot.enabled=true";

	/** The Java 17 CDS archive of the extracted jar started with {@link #SPRING_AOT}. */
	private static final Path SPRING_AOT_ARCHIVE = WORK.resolve("app-spring-aot.jsa");

	/** Java 25's AOT cache of the extracted jar started with {@link #SPRING_AOT}. */
	private static final Path AOT_CACHE = WORK.resolve("app.aot");

	private static final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private BenchmarkRun() {
	}

	/**
	 * One password check with the application's encoder settings: wall time, process CPU and the checking threads' own
	 * CPU per check, ms. From the {@link HashProbe}, every core checks at once, so cores ÷ wall time is the hash-bound
	 * limit.
	 */
	record HashCost(double wallMs, double cpuMs, double threadCpuMs) {

		/** The same check, one thread, in this JVM: only to show how far another JVM's timing can be. */
		static HashCost inThisJvm(Argon2PasswordEncoder argon2, String hash, int checks) {
			long cpu = os.getProcessCpuTime();
			long threadCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
			long start = System.nanoTime();
			for (int i = 0; i < checks; i++) {
				if (!argon2.matches(Seeder.PASSWORD, hash)) {
					throw new IllegalStateException("the benchmark hash does not match");
				}
			}
			return new HashCost((System.nanoTime() - start) / 1e6 / checks, (os.getProcessCpuTime() - cpu) / 1e6 / checks,
					(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - threadCpu) / 1e6 / checks);
		}

		HashCost averagedWith(HashCost other) {
			return new HashCost((this.wallMs + other.wallMs) / 2, (this.cpuMs + other.cpuMs) / 2,
					(this.threadCpuMs + other.threadCpuMs) / 2);
		}

	}

	/** One load run and what was measured around it; CPU figures per login, ms. */
	record LoadRun(LoadDriver.Result result, HashCost hash, double serverCpuMs, double jitCpuMs, double gcCpuMs,
			double driverCpuMs, HashCost hashInThisJvm) {

		int concurrency() {
			return this.result.concurrency();
		}

		/** Logins/s against the limit cores ÷ hash time, the hash timed around this run. */
		double efficiency(int cores) {
			return this.result.loginsPerSecond() / (cores / (this.hash.wallMs() / 1000));
		}

		double cpuRatio() {
			return this.serverCpuMs / this.hash.cpuMs();
		}

		/** Server CPU per login less the same server's CPU per check timed around this run, ms. */
		double nonHashCpuMs() {
			return this.serverCpuMs - this.hash.cpuMs();
		}

		/**
		 * The same without the JIT's compiler threads, whose work is spent once per JVM: where a long-running server
		 * tends (an upper bound: the code they are still compiling runs faster once compiled).
		 */
		double cpuRatioWithoutJit() {
			return (this.serverCpuMs - this.jitCpuMs) / this.hash.cpuMs();
		}

	}

	/**
	 * Start-up to the first 200 on /login, ms, per variant and round; and the check's CPU (ms) in each freshly started
	 * server, per implementation.
	 */
	record Startup(double[] plain, double[] cds, double[] cdsSpringAot, Optional<double[]> aotCache, String java25,
			double[] freshNativeCheckCpu, double[] referenceCheckCpu, double[] freshJavaCheckCpu) {

		/** Each fresh server's check ÷ the reference check timed around it. */
		double[] freshNativeAgainstReference() {
			double[] ratios = new double[this.freshNativeCheckCpu.length];
			for (int i = 0; i < ratios.length; i++) {
				ratios[i] = this.freshNativeCheckCpu[i] / this.referenceCheckCpu[i];
			}
			return ratios;
		}

	}

	/**
	 * The native check in the benchmark's own JVM, long running, on one thread: timed just before and just after each
	 * fresh server's, so that the machine's drift, which moves both alike, drops out of their ratio and what is left
	 * is how far one JVM's hash differs from another's.
	 */
	static final class ReferenceCheck {

		private final de.mkammerer.argon2.Argon2 libargon2 = de.mkammerer.argon2.Argon2Factory
			.create(de.mkammerer.argon2.Argon2Factory.Argon2Types.ARGON2id, Seeder.SALT_BYTES, Seeder.HASH_BYTES);

		private final String hash = this.libargon2.hash(Seeder.ITERATIONS, Seeder.MEMORY_KIB, Seeder.PARALLELISM,
				Seeder.PASSWORD.toCharArray(), java.nio.charset.StandardCharsets.UTF_8);

		/** This thread's CPU per check, ms. */
		double threadCpuMs(int checks) {
			long before = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
			for (int i = 0; i < checks; i++) {
				if (!this.libargon2.verify(this.hash, Seeder.PASSWORD.toCharArray(),
						java.nio.charset.StandardCharsets.UTF_8)) {
					throw new IllegalStateException("libargon2 refused its own hash");
				}
			}
			return (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - before) / 1e6 / checks;
		}

	}

	/** Which Argon2 a server hashes with, and the application argument that chooses it. */
	enum Implementation {

		NATIVE, JAVA;

		List<String> arguments() {
			return List.of("--app.security.argon2.implementation=" + name().toLowerCase(java.util.Locale.ROOT));
		}

		String probe(Path directory, int port) throws IOException {
			Path own = Files.createDirectories(directory.resolve(name().toLowerCase(java.util.Locale.ROOT)));
			return HashProbe.agentOption(own, port,
					this == NATIVE);
		}

	}

	public static void main(String[] args) throws Exception {
		Path docs = Path.of(args.length > 0 ? args[0] : "docs");
		Path jar = findJar();
		recreate(WORK);
		byte[] keyBytes = new byte[32];
		new SecureRandom().nextBytes(keyBytes);
		String key = Base64.getEncoder().encodeToString(keyBytes);
		SecretCipher cipher = new SecretCipher(keyBytes, List.of());
		int cores = Runtime.getRuntime().availableProcessors();
		String started = System.getenv("BENCH_STARTED");
		if (started != null && !started.isBlank()) {
			SECTION_SECONDS.put("build (bench/build.sh aot)",
					ManagementFactory.getRuntimeMXBean().getStartTime() / 1000 - Long.parseLong(started.strip()));
		}

		// Keycloak starts first, beside the seeding and the training runs (nothing is timed then): about a minute
		// of start-up and Quarkus's re-augmentation at its first start.
		KeycloakServer keycloak = runs("keycloak")
				? KeycloakServer.start(WORK, KEYCLOAK_PORT, WORK.resolve("keycloak.log")) : null;
		try {
			run(docs, jar, key, cipher, cores, keycloak);
		}
		finally {
			if (keycloak != null) {
				keycloak.close();
			}
		}
	}

	private static void run(Path docs, Path jar, String key, SecretCipher cipher, int cores, KeycloakServer keycloak)
			throws Exception {
		// 1. The deliberate cost: one hash copied into every seeded row; timed around every load run (HashProbe).
		Argon2PasswordEncoder argon2 = Seeder.passwordEncoder();
		String hash = argon2.encode(Seeder.PASSWORD);

		// 2. Databases: the main one, and 1k vs 1M accounts for growth.
		String mainDb = h2("main");
		String[] secrets = Seeder.seed(mainDb, USERS, 0, cipher, "{argon2}" + hash);
		String javaDb = h2("main-java");
		String[] javaSecrets = runs("bouncy-castle") ? Seeder.seed(javaDb, USERS, 0, cipher, "{argon2}" + hash)
				: new String[0];
		String smallDb = h2("small");
		String largeDb = h2("large");
		String[] smallSecrets = new String[0];
		String[] largeSecrets = new String[0];
		if (runs("growth")) {
			smallSecrets = Seeder.seed(smallDb, 1_000, 0, cipher, "{argon2}" + hash);
			long seedStart = System.nanoTime();
			largeSecrets = Seeder.seed(largeDb, 1_000, GROWTH_ACCOUNTS - 1_000, cipher, "{argon2}" + hash);
			log("seeded %,d accounts in %d s", GROWTH_ACCOUNTS, (System.nanoTime() - seedStart) / 1_000_000_000);
		}
		section("seeding (Keycloak starting beside it)");

		if (runs("variants")) {
			for (Launched training : trainings(jar, key)) {
				training.await();
			}
			section("start-up variants: training runs");
		}
		KeycloakSide keycloakSide = null;
		KeycloakDriver keycloakDriver = null;
		if (keycloak != null) {
			long keycloakStartup = keycloak.awaitReady();
			keycloakDriver = new KeycloakDriver(keycloak, KEYCLOAK_USERS);
			KeycloakDriver.Realm realm = keycloakDriver.createRealm();
			keycloakSide = new KeycloakSide(keycloakStartup, realm, keycloak.jvmOptions().orElse("?"),
					new ArrayList<>());
			log("Keycloak up after %.1f s (java pid %d, JVM options: %s); realm: hashing %s, password policy %s, OTP %s, "
					+ "required actions %s", keycloakStartup / 1000.0, keycloak.pid(), keycloakSide.jvmOptions(),
					realm.hashing(), realm.passwordPolicy(), realm.otpPolicy(), realm.userRequiredActions());
			section("Keycloak: start-up (rest of it), realm and users");
		}
		Startup startup = runs("startup") ? startup(jar, mainDb, key)
				: new Startup(new double[0], new double[0], new double[0], Optional.empty(), "", new double[0],
						new double[0], new double[0]);
		section("start-up: fresh servers" + (runs("variants") ? ", CDS and AOT variants" : ""));

		// 3. Throughput per concurrency, CPU per login, memory: the native server, Keycloak and (optionally) the
		// Bouncy Castle server up at once, their runs alternating, so that the machine's drift hits all alike.
		List<LoadRun> runs = new ArrayList<>();
		List<LoadRun> javaRuns = new ArrayList<>();
		WarmUp warmUp;
		WarmUp javaWarmUp = new WarmUp(0, 0, Double.NaN);
		long rssWarm;
		long rssAfter;
		long javaRssAfter = 0;
		int totalLogins = 0;
		String lastError;
		try (BenchServer server = BenchServer.start(java(), Map.of(), jar,
				List.of(Implementation.NATIVE.probe(WORK, PROBE_PORT)), mainDb, key, 18080,
				WORK.resolve("load.log"), Implementation.NATIVE.arguments());
				BenchServer javaServer = runs("bouncy-castle") ? BenchServer.start(java(), Map.of(), jar,
						List.of(Implementation.JAVA.probe(WORK, PROBE_PORT + 1)), javaDb, key, 18079,
						WORK.resolve("load-java.log"), Implementation.JAVA.arguments()) : null;
				HashProbe probe = HashProbe.connect(PROBE_PORT, cores);
				HashProbe javaProbe = (javaServer != null) ? HashProbe.connect(PROBE_PORT + 1, cores) : null) {
			LoadDriver driver = new LoadDriver(server.port, secrets);
			LoadDriver javaDriver = (javaServer != null) ? new LoadDriver(javaServer.port, javaSecrets) : null;
			section("load: servers started");
			// Both warm up at once (nothing is measured then), each until its own JIT has settled or the limit.
			java.util.concurrent.ExecutorService warmUps = java.util.concurrent.Executors.newSingleThreadExecutor();
			java.util.concurrent.Future<WarmUp> keycloakWarmUp = null;
			if (keycloak != null) {
				KeycloakDriver kc = keycloakDriver;
				keycloakWarmUp = warmUps.submit(() -> warmUpKeycloak(keycloak, kc, WARM_UP_LIMIT));
			}
			java.util.concurrent.Future<WarmUp> other = keycloakWarmUp;
			// Ours goes on while Keycloak still warms up: the cores are busy either way.
			warmUp = warmUp(server, driver, WARM_UP_LIMIT, () -> other != null && !other.isDone());
			if (keycloakWarmUp != null) {
				keycloakSide = keycloakSide.warmedUp(keycloakWarmUp.get());
			}
			warmUps.shutdown();
			if (javaServer != null) {
				javaWarmUp = warmUp(javaServer, javaDriver, JAVA_WARM_UP_LIMIT, () -> false);
			}
			totalLogins += warmUp.logins();
			rssWarm = server.rssMib();
			log("warmed up with %,d logins in %d s, JIT %.1f ms per login at the end (Bouncy Castle: %,d in %d s, "
					+ "%.1f ms; Keycloak: %s)", warmUp.logins(), warmUp.seconds(), warmUp.jitMs(), javaWarmUp.logins(),
					javaWarmUp.seconds(), javaWarmUp.jitMs(), (keycloakSide != null) ? keycloakSide.warmUp() : "-");
			section("load: warm-up" + ((keycloak != null) ? " (ours and Keycloak's at once)" : ""));
			for (int round = 0; round < RUNS; round++) {
				for (int concurrency : CONCURRENCY) {
					LoadRun run = loadRun(server, driver, probe, concurrency, cores, argon2, hash);
					runs.add(run);
					totalLogins += run.result().logins();
					log("round %d, %2d users, native: %.1f logins/s, efficiency %.2f, CPU %.1f ms, check %.1f ms, "
							+ "%d errors", round + 1, concurrency, run.result().loginsPerSecond(), run.efficiency(cores),
							run.serverCpuMs(), run.hash().cpuMs(), run.result().errors());
					if (keycloak != null) {
						LoadRun kcRun = keycloakRun(keycloak, keycloakDriver, concurrency, cores);
						keycloakSide.runs().add(kcRun);
						log("round %d, %2d users, Keycloak: %.1f logins/s, CPU %.1f ms, wrong password %.1f ms, "
								+ "%d errors", round + 1, concurrency, kcRun.result().loginsPerSecond(),
								kcRun.serverCpuMs(), kcRun.hash().cpuMs(), kcRun.result().errors());
					}
					if (javaServer != null && Arrays.stream(JAVA_CONCURRENCY).anyMatch((level) -> level == concurrency)) {
						LoadRun javaRun = loadRun(javaServer, javaDriver, javaProbe, concurrency, cores, argon2, hash);
						javaRuns.add(javaRun);
						log("round %d, %2d users, Bouncy Castle: %.1f logins/s, CPU ÷ hash %.2f, %d errors", round + 1,
								concurrency, javaRun.result().loginsPerSecond(), javaRun.cpuRatio(),
								javaRun.result().errors());
					}
				}
			}
			rssAfter = server.rssMib();
			javaRssAfter = (javaServer != null) ? javaServer.rssMib() : 0;
			if (keycloak != null) {
				keycloakSide = keycloakSide.withRss(keycloak.rssMib(), keycloakDriver.lastError);
			}
			lastError = driver.lastError;
		}
		section("load: measured runs, alternating");

		double[][] growth = runs("growth") ? growth(jar, smallDb, smallSecrets, largeDb, largeSecrets, key)
				: new double[][] { new double[0], new double[0] };
		section("growth: 1k and 1M accounts");

		// 4. JMH.
		Collection<RunResult> jmh = runs("jmh") ? new Runner(new OptionsBuilder()
			.include(TotpMicrobenchmarks.class.getName())
			.jvmArgsAppend("-Djava.awt.headless=true")
			.build()).run() : List.of();
		section("JMH");

		new Report(cores, runs, javaRuns, startup, warmUp, javaWarmUp, rssWarm, rssAfter, javaRssAfter, totalLogins,
				growth[0], growth[1], jmh, lastError, keycloakSide)
			.write(docs);
		chart(docs.resolve("benchmarks-throughput.png"), runs, keycloakSide, cores);
		log("wrote %s", docs.resolve("benchmarks.md"));
	}

	/**
	 * Keycloak beside ours: its start-up, realm, JVM options (kc.sh's), warm-up and runs; RSS at the end.
	 */
	record KeycloakSide(long startupMillis, KeycloakDriver.Realm realm, String jvmOptions, List<LoadRun> runs,
			WarmUp warmUp, int enrolled, long rssMib, String lastError) {

		KeycloakSide(long startupMillis, KeycloakDriver.Realm realm, String jvmOptions, List<LoadRun> runs) {
			this(startupMillis, realm, jvmOptions, runs, null, 0, 0, null);
		}

		KeycloakSide warmedUp(WarmUp warmUp) {
			return new KeycloakSide(this.startupMillis, this.realm, this.jvmOptions, this.runs, warmUp,
					KEYCLOAK_USERS, this.rssMib, this.lastError);
		}

		KeycloakSide withRss(long rssMib, String lastError) {
			return new KeycloakSide(this.startupMillis, this.realm, this.jvmOptions, this.runs, this.warmUp,
					this.enrolled, rssMib, lastError);
		}

	}

	/**
	 * Keycloak's warm-up: every user enrolled (their first sign-in: password, the OTP set-up page, a code), then full
	 * logins in chunks at 8 users until its JIT compiler threads take under {@link #SETTLED_JIT_MS} of CPU per login,
	 * or the limit (counted from the start, enrolment included). The logins reported include the enrolments.
	 */
	private static WarmUp warmUpKeycloak(KeycloakServer keycloak, KeycloakDriver driver, Duration limit)
			throws Exception {
		long start = System.nanoTime();
		int logins = driver.enrol(8);
		log("Keycloak: %,d users enrolled in TOTP in %d s", logins, (System.nanoTime() - start) / 1_000_000_000);
		double jitMs;
		do {
			BenchServer.CpuReading before = keycloak.cpu();
			LoadDriver.Result chunk = driver.run(8, WARM_UP_CHUNK);
			if (chunk.errors() > 0) {
				throw new IllegalStateException("Keycloak warm-up: " + chunk.errors() + " errors, " + driver.lastError);
			}
			jitMs = keycloak.cpu().since(before, "CompilerThre") * 1000
					/ Math.max(1, chunk.logins());
			logins += chunk.logins();
		}
		while (jitMs > SETTLED_JIT_MS && System.nanoTime() - start < limit.toNanos());
		return new WarmUp(logins, (System.nanoTime() - start) / 1_000_000_000, jitMs);
	}

	/**
	 * A Keycloak run, as {@link #loadRun}: its hash (wrong-password sign-ins of existing users) timed just before and
	 * just after, the java process's CPU read around the run.
	 */
	private static LoadRun keycloakRun(KeycloakServer keycloak, KeycloakDriver driver, int concurrency, int cores)
			throws Exception {
		HashCost before = driver.wrongPasswords(cores, KEYCLOAK_HASH_CHECKS);
		BenchServer.CpuReading cpuBefore = keycloak.cpu();
		long driverCpu = os.getProcessCpuTime();
		LoadDriver.Result result = driver.run(concurrency, RUN_TIME);
		double driverCpuMs = (os.getProcessCpuTime() - driverCpu) / 1e6;
		BenchServer.CpuReading cpuAfter = keycloak.cpu();
		HashCost around = before.averagedWith(driver.wrongPasswords(cores, KEYCLOAK_HASH_CHECKS));
		double logins = Math.max(1, result.logins());
		return new LoadRun(result, around, cpuAfter.since(cpuBefore, "") * 1000 / logins,
				cpuAfter.since(cpuBefore, "CompilerThre") * 1000 / logins,
				cpuAfter.since(cpuBefore, "GC ") * 1000 / logins, driverCpuMs / logins, null);
	}

	/** How long a server was warmed up, and what its JIT still took in the last chunk. */
	record WarmUp(int logins, long seconds, double jitMs) {
	}

	/** @param othersWarming while true, go on past the limit (another server warms up beside it) */
	private static WarmUp warmUp(BenchServer server, LoadDriver driver, Duration limit,
			java.util.function.BooleanSupplier othersWarming) throws Exception {
		long start = System.nanoTime();
		int logins = 0;
		double jitMs;
		do {
			BenchServer.CpuReading before = server.cpu();
			int chunk = driver.run(8, WARM_UP_CHUNK).logins();
			jitMs = server.cpu().since(before, "CompilerThre") * 1000 / Math.max(1, chunk);
			logins += chunk;
		}
		while (jitMs > SETTLED_JIT_MS
				&& (System.nanoTime() - start < limit.toNanos() || othersWarming.getAsBoolean()));
		return new WarmUp(logins, (System.nanoTime() - start) / 1_000_000_000, jitMs);
	}

	private static LoadRun loadRun(BenchServer server, LoadDriver driver, HashProbe probe, int concurrency, int cores,
			Argon2PasswordEncoder argon2, String hash) throws Exception {
		HashCost inThisJvm = HashCost.inThisJvm(argon2, hash, 3);
		HashCost before = probe.measure(cores, HASH_CHECKS);
		BenchServer.CpuReading cpuBefore = server.cpu();
		long driverCpu = os.getProcessCpuTime();
		LoadDriver.Result result = driver.run(concurrency, RUN_TIME);
		double driverCpuMs = (os.getProcessCpuTime() - driverCpu) / 1e6;
		BenchServer.CpuReading cpuAfter = server.cpu();
		HashCost around = before.averagedWith(probe.measure(cores, HASH_CHECKS));
		double logins = Math.max(1, result.logins());
		return new LoadRun(result, around, cpuAfter.since(cpuBefore, "") * 1000 / logins,
				cpuAfter.since(cpuBefore, "CompilerThre") * 1000 / logins,
				cpuAfter.since(cpuBefore, "GC ") * 1000 / logins, driverCpuMs / logins, inThisJvm);
	}

	/**
	 * The jar extracted, and the training runs of the start-up variants started: a CDS archive of the extracted jar
	 * (Java 17); the same with Spring AOT's generated bean definitions (-Dspring.aot.enabled=true, its own archive);
	 * and, when a Java 25 is installed, its AOT cache (JEP 483/515) with Spring AOT. Nothing of a training run is
	 * timed, so they run at once (each on its own database: H2 locks its file): about 20 s sooner than one after
	 * another on 2 cores. (Starting the load servers and seeding beside them gained nothing: every start is
	 * CPU-bound.)
	 */
	private static List<Launched> trainings(Path jar, String key) throws Exception {
		run(List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", EXTRACTED.toString()));
		Path extractedJar = EXTRACTED.resolve(jar.getFileName());
		List<Launched> trainings = new ArrayList<>();
		trainings.add(train("cds", List.of(java(), "-XX:ArchiveClassesAtExit=" + ARCHIVE), extractedJar, key));
		trainings.add(train("cds-spring-aot",
				List.of(java(), SPRING_AOT, "-XX:ArchiveClassesAtExit=" + SPRING_AOT_ARCHIVE), extractedJar, key));
		Optional<String> java25 = java25();
		if (java25.isPresent()) {
			trainings.add(train("aot-cache", List.of(java25.get(), SPRING_AOT, "-XX:AOTCacheOutput=" + AOT_CACHE),
					extractedJar, key));
		}
		return trainings;
	}

	/**
	 * Plain jar, and the variants {@link #trainings} prepared, one after another in each round. Each plain server
	 * (native hash) and a server hashing with Bouncy Castle (from the CDS archive, to start sooner) also time the check
	 * once started: {@link #FRESH_SERVERS} and {@link #FRESH_JAVA_SERVERS} fresh JVMs.
	 */
	private static Startup startup(Path jar, String db, String key) throws Exception {
		Path extractedJar = EXTRACTED.resolve(jar.getFileName());
		Optional<String> java25 = java25();
		double[] plain = new double[FRESH_SERVERS];
		double[] freshNative = new double[FRESH_SERVERS];
		double[] reference = new double[FRESH_SERVERS];
		ReferenceCheck referenceCheck = new ReferenceCheck();
		referenceCheck.threadCpuMs(8);
		boolean variants = runs("variants");
		double[] freshJava = new double[variants ? FRESH_JAVA_SERVERS : 0];
		int cores = Runtime.getRuntime().availableProcessors();
		for (int round = 0; round < FRESH_SERVERS; round++) {
			try (BenchServer server = BenchServer.start(java(), Map.of(), jar,
					List.of(Implementation.NATIVE.probe(WORK, PROBE_PORT)), db, key, 18080, WORK.resolve("plain.log"),
					Implementation.NATIVE.arguments()); HashProbe probe = HashProbe.connect(PROBE_PORT, cores)) {
				plain[round] = server.startupMillis;
				awaitQuiet(server);
				double before = referenceCheck.threadCpuMs(8);
				freshNative[round] = probe.measure(1, 8).threadCpuMs();
				reference[round] = (before + referenceCheck.threadCpuMs(8)) / 2;
			}
			if (round < freshJava.length) {
				try (BenchServer server = BenchServer.start(java(), Map.of(), extractedJar,
						List.of("-XX:SharedArchiveFile=" + ARCHIVE, Implementation.JAVA.probe(WORK, PROBE_PORT)), db,
						key, 18080, WORK.resolve("fresh-java.log"), Implementation.JAVA.arguments());
						HashProbe probe = HashProbe.connect(PROBE_PORT, cores)) {
					freshJava[round] = settledCheckCpu(server, probe);
				}
			}
			log("fresh servers, round %d: check %.1f ms CPU native (reference %.1f), %.1f ms Bouncy Castle",
					round + 1, freshNative[round], reference[round], (round < freshJava.length) ? freshJava[round] : Double.NaN);
		}
		int rounds = variants ? STARTUP_ROUNDS : 0;
		double[] cds = new double[rounds];
		double[] cdsSpringAot = new double[rounds];
		double[] aot = new double[rounds];
		for (int round = 0; round < rounds; round++) {
			try (BenchServer server = BenchServer.start(extractedJar, List.of("-XX:SharedArchiveFile=" + ARCHIVE), db,
					key, 18080, WORK.resolve("cds.log"))) {
				cds[round] = server.startupMillis;
			}
			try (BenchServer server = BenchServer.start(extractedJar,
					List.of(SPRING_AOT, "-XX:SharedArchiveFile=" + SPRING_AOT_ARCHIVE), db, key, 18080,
					WORK.resolve("cds-spring-aot.log"))) {
				cdsSpringAot[round] = server.startupMillis;
			}
			if (java25.isPresent()) {
				try (BenchServer server = BenchServer.start(java25.get(), extractedJar,
						List.of(SPRING_AOT, "-XX:AOTCache=" + AOT_CACHE), db, key, 18080, WORK.resolve("aot.log"))) {
					aot[round] = server.startupMillis;
				}
			}
		}
		log("start-up plain %.0f ms, CDS %.0f ms, CDS + Spring AOT %.0f ms, AOT cache + Spring AOT %s", median(plain),
				median(cds), median(cdsSpringAot),
				java25.isPresent() ? String.format("%.0f ms", median(aot)) : "(no Java 25)");
		return new Startup(plain, cds, cdsSpringAot, java25.filter((java) -> variants).map((java) -> aot),
				java25.orElse(""), freshNative,
				reference,
				freshJava);
	}

	/**
	 * The check's CPU in a server just started: once the JIT compiler threads, busy for seconds after start-up, have
	 * settled (their CPU would count: the probe reads the process's), one thread checking, so that the figure is the
	 * check's own.
	 */
	/**
	 * The check's own CPU (its thread's) in a server just started, once the server is quiet: the speed of the hash
	 * code in that JVM, without the rest of the process (the JIT still compiling, the first scheduled tasks) competing
	 * for the memory bandwidth a 19 MiB hash lives on.
	 */
	private static double settledCheckCpu(BenchServer server, HashProbe probe) throws Exception {
		awaitQuiet(server);
		return probe.measure(1, 8).threadCpuMs();
	}

	/** Until the server's threads together use under 5 % of a core over half a second; 20 s at most. */
	private static void awaitQuiet(BenchServer server) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		double before = server.cpuSeconds();
		do {
			Thread.sleep(500);
			double now = server.cpuSeconds();
			if (now - before < 0.025) {
				return;
			}
			before = now;
		}
		while (System.nanoTime() < deadline);
		log("server not quiet after 20 s; checking all the same");
	}

	/** A tool or training run under way (a child process), its output in {@code log}. */
	record Launched(Process process, List<String> command, Path log) {

		static Launched launch(List<String> command, Path log) throws IOException {
			return new Launched(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(),
					command, log);
		}

		void await() throws InterruptedException {
			if (this.process.waitFor() != 0) {
				throw new IllegalStateException("failed: " + String.join(" ", this.command) + " (see " + this.log + ")");
			}
		}

	}

	/**
	 * Starts a training run: the application on a database of its own, stopped once its context is up; the JVM writes
	 * its archive on exit.
	 */
	private static Launched train(String name, List<String> jvm, Path extractedJar, String key) throws IOException {
		List<String> command = new ArrayList<>(jvm);
		command.addAll(List.of("-Dspring.context.exit=onRefresh", "-jar", extractedJar.toString(),
				"--spring.datasource.url=" + h2("train-" + name), "--app.security.encryption.key=" + key,
				"--server.port=0"));
		return Launched.launch(command, WORK.resolve("train-" + name + ".log"));
	}

	/**
	 * A login at 1k accounts against 1M: both servers up at once and used alternately, one user at a time; each
	 * run's median login time, ms. They start from the CDS archive (half the start-up; nothing measured here depends on
	 * how the classes were loaded).
	 */
	private static double[][] growth(Path jar, String smallDb, String[] smallSecrets, String largeDb,
			String[] largeSecrets, String key) throws Exception {
		double[] small = new double[RUNS];
		double[] large = new double[RUNS];
		Path extractedJar = EXTRACTED.resolve(jar.getFileName());
		// The CDS archive exists only when the start-up variants ran (BENCH_SKIP): otherwise the plain jar.
		boolean archived = Files.exists(extractedJar) && Files.exists(ARCHIVE);
		Path serverJar = archived ? extractedJar : jar;
		List<String> cds = archived ? List.of("-XX:SharedArchiveFile=" + ARCHIVE) : List.of();
		try (BenchServer smallServer = BenchServer.start(serverJar, cds, smallDb, key, 18081,
				WORK.resolve("small.log"));
				BenchServer largeServer = BenchServer.start(serverJar, cds, largeDb, key, 18082,
						WORK.resolve("large.log"))) {
			LoadDriver smallDriver = new LoadDriver(smallServer.port, smallSecrets);
			LoadDriver largeDriver = new LoadDriver(largeServer.port, largeSecrets);
			smallDriver.run(2, Duration.ofSeconds(5));
			largeDriver.run(2, Duration.ofSeconds(5));
			for (int round = 0; round < RUNS; round++) {
				small[round] = medianLoginMillis(smallDriver.run(1, Duration.ofSeconds(3)));
				large[round] = medianLoginMillis(largeDriver.run(1, Duration.ofSeconds(3)));
			}
		}
		return new double[][] { small, large };
	}

	private static double medianLoginMillis(LoadDriver.Result result) {
		return median(result.loginMicros().stream().mapToDouble(Long::doubleValue).toArray()) / 1000;
	}

	static double median(double[] values) {
		if (values.length == 0) {
			return Double.NaN;
		}
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return (sorted.length % 2 == 1) ? sorted[sorted.length / 2]
				: (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
	}

	static double medianOf(List<LoadRun> runs, int concurrency, ToDoubleFunction<LoadRun> f) {
		return median(runs.stream().filter((r) -> r.concurrency() == concurrency).mapToDouble(f).toArray());
	}

	private static void chart(Path png, List<LoadRun> runs, KeycloakSide keycloak, int cores) throws IOException {
		XYSeries measured = new XYSeries("logins/s (median of " + RUNS + " runs)");
		XYSeries bound = new XYSeries("hash-bound limit, cores ÷ hash time (median)");
		XYSeries keycloakMeasured = new XYSeries("Keycloak " + KeycloakServer.VERSION + ", logins/s (median)");
		for (int concurrency : CONCURRENCY) {
			measured.add(concurrency, medianOf(runs, concurrency, (r) -> r.result().loginsPerSecond()));
			bound.add(concurrency, medianOf(runs, concurrency, (r) -> cores / (r.hash().wallMs() / 1000)));
			if (keycloak != null) {
				keycloakMeasured.add(concurrency,
						medianOf(keycloak.runs(), concurrency, (r) -> r.result().loginsPerSecond()));
			}
		}
		XYSeriesCollection data = new XYSeriesCollection();
		data.addSeries(measured);
		data.addSeries(bound);
		if (keycloak != null) {
			data.addSeries(keycloakMeasured);
		}
		JFreeChart chart = ChartFactory.createXYLineChart("Full password + TOTP logins per second", "virtual users",
				"logins/s", data, PlotOrientation.VERTICAL, true, false, false);
		chart.setBackgroundPaint(Color.WHITE);
		XYPlot plot = chart.getXYPlot();
		plot.setBackgroundPaint(Color.WHITE);
		plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
		plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
		XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
		renderer.setSeriesPaint(0, new Color(0x0b5ed7));
		renderer.setSeriesPaint(1, new Color(0xb02a37));
		renderer.setSeriesPaint(2, new Color(0x6c757d));
		renderer.setSeriesStroke(1, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
				new float[] { 6f, 4f }, 0f));
		plot.setRenderer(renderer);
		Files.createDirectories(png.getParent());
		ChartUtils.saveChartAsPNG(png.toFile(), chart, 800, 450);
	}

	private static String h2(String name) {
		return "jdbc:h2:file:" + WORK.resolve(name).toAbsolutePath();
	}

	static Path findJar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter((path) -> path.getFileName().toString().matches("totp-login-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("build the jar first: ./mvnw -DskipTests package"));
		}
	}

	static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/** $BENCH_JAVA_25, or a JDK 25 under /usr/lib/jvm. */
	private static Optional<String> java25() throws IOException {
		String configured = System.getenv("BENCH_JAVA_25");
		if (configured != null && !configured.isBlank()) {
			return Optional.of(configured);
		}
		Path jvms = Path.of("/usr/lib/jvm");
		if (!Files.isDirectory(jvms)) {
			return Optional.empty();
		}
		try (Stream<Path> installed = Files.list(jvms)) {
			return installed.filter((home) -> home.getFileName().toString().contains("25"))
				.map((home) -> home.resolve("bin").resolve("java"))
				.filter(Files::isExecutable)
				.sorted()
				.map(Path::toString)
				.findFirst();
		}
	}

	private static void run(List<String> arguments) throws IOException, InterruptedException {
		Launched.launch(arguments, WORK.resolve("tools.log")).await();
	}

	static void recreate(Path directory) throws IOException {
		if (Files.exists(directory)) {
			try (Stream<Path> walk = Files.walk(directory)) {
				walk.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
		Files.createDirectories(directory);
	}

	static void log(String format, Object... args) {
		System.out.printf("[bench %s] %s%n", LocalDateTime.now().toLocalTime().withNano(0), String.format(format, args));
	}

}
