package dev.totplogin.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

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
 * and latency per concurrency, CPU per login against CPU per hash, start-up plain and with CDS, memory, growth to a
 * million accounts, JMH microbenchmarks. Writes docs/benchmarks.md and docs/benchmarks-throughput.png.
 */
public final class BenchmarkRun {

	private static final int[] CONCURRENCY = { 1, 2, 4, 8, 16, 32 };

	private static final int RUNS = 5;

	private static final Duration RUN_TIME = Duration.ofSeconds(5);

	private static final int USERS = 3_000;

	private static final int GROWTH_ACCOUNTS = 1_000_000;

	private static final Path WORK = Path.of("target", "bench");

	private BenchmarkRun() {
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
		Report report = new Report();

		// 1. The deliberate cost: one password check with the application's encoder settings.
		Argon2PasswordEncoder argon2 = new Argon2PasswordEncoder(16, 32, 1, 19456, 2);
		String hash = argon2.encode(Seeder.PASSWORD);
		// Wall time sets the limit; process CPU (GC of the 19 MiB blocks included) is what a login is compared to.
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean();
		double[] hashMillis = new double[RUNS];
		double[] hashCpuMillis = new double[RUNS];
		for (int run = 0; run < RUNS; run++) {
			long cpu = os.getProcessCpuTime();
			long start = System.nanoTime();
			for (int i = 0; i < 10; i++) {
				argon2.matches(Seeder.PASSWORD, hash);
			}
			hashMillis[run] = (System.nanoTime() - start) / 10 / 1e6;
			hashCpuMillis[run] = (os.getProcessCpuTime() - cpu) / 10 / 1e6;
		}
		double hashMs = median(hashMillis);
		double hashCpuMs = median(hashCpuMillis);
		double limit = cores / (hashMs / 1000);
		log("hash %.1f ms (CPU %.1f ms), limit %.1f logins/s on %d cores", hashMs, hashCpuMs, limit, cores);

		// 2. Databases: the main one, and 1k vs 1M accounts for growth.
		String mainDb = h2("main");
		String[] secrets = Seeder.seed(mainDb, USERS, 0, cipher, "{argon2}" + hash);
		String smallDb = h2("small");
		String[] smallSecrets = Seeder.seed(smallDb, 1_000, 0, cipher, "{argon2}" + hash);
		String largeDb = h2("large");
		long seedStart = System.nanoTime();
		String[] largeSecrets = Seeder.seed(largeDb, 1_000, GROWTH_ACCOUNTS - 1_000, cipher, "{argon2}" + hash);
		log("seeded %,d accounts in %d s", GROWTH_ACCOUNTS, (System.nanoTime() - seedStart) / 1_000_000_000);

		// 3. Start-up to the first 200 on /login: plain jar against CDS, alternating.
		Path extracted = WORK.resolve("extracted");
		run(List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", extracted.toString()));
		Path extractedJar = extracted.resolve(jar.getFileName());
		Path archive = WORK.resolve("app.jsa");
		run(List.of(java(), "-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar",
				extractedJar.toString(), "--spring.datasource.url=" + mainDb, "--app.security.encryption-key=" + key,
				"--server.port=0"));
		double[] plainStart = new double[RUNS];
		double[] cdsStart = new double[RUNS];
		for (int run = 0; run < RUNS; run++) {
			try (BenchServer server = BenchServer.start(jar, List.of(), mainDb, key, 18080, WORK.resolve("plain.log"))) {
				plainStart[run] = server.startupMillis;
			}
			try (BenchServer server = BenchServer.start(extractedJar, List.of("-XX:SharedArchiveFile=" + archive),
					mainDb, key, 18080, WORK.resolve("cds.log"))) {
				cdsStart[run] = server.startupMillis;
			}
		}
		log("start-up plain %.0f ms, CDS %.0f ms", median(plainStart), median(cdsStart));

		// 4. Throughput per concurrency, CPU per login, memory.
		List<LoadDriver.Result> results = new ArrayList<>();
		Map<Integer, List<Double>> cpuPerLogin = new LinkedHashMap<>();
		long rssWarm;
		long rssAfter;
		int totalLogins;
		String lastError;
		try (BenchServer server = BenchServer.start(jar, List.of(), mainDb, key, 18080, WORK.resolve("load.log"))) {
			LoadDriver driver = new LoadDriver(server.port, secrets);
			totalLogins = driver.run(8, Duration.ofSeconds(10)).logins();
			rssWarm = server.rssMib();
			for (int run = 0; run < RUNS; run++) {
				for (int concurrency : CONCURRENCY) {
					double cpuBefore = server.cpuSeconds();
					LoadDriver.Result result = driver.run(concurrency, RUN_TIME);
					double cpu = server.cpuSeconds() - cpuBefore;
					results.add(result);
					totalLogins += result.logins();
					cpuPerLogin.computeIfAbsent(concurrency, (c) -> new ArrayList<>()).add(cpu / result.logins());
					log("run %d, %2d users: %.1f logins/s, %d errors", run + 1, concurrency, result.loginsPerSecond(),
							result.errors());
				}
			}
			while (totalLogins < 10_000) {
				totalLogins += driver.run(8, Duration.ofSeconds(10)).logins();
			}
			rssAfter = server.rssMib();
			lastError = driver.lastError;
		}

		// 5. Growth: a login at 1k accounts against 1M.
		double[] smallP50 = growth(jar, smallDb, key, smallSecrets, "small.log");
		double[] largeP50 = growth(jar, largeDb, key, largeSecrets, "large.log");

		// 6. JMH.
		Collection<RunResult> jmh = new Runner(new OptionsBuilder()
			.include(TotpMicrobenchmarks.class.getName())
			.jvmArgsAppend("-Djava.awt.headless=true")
			.build()).run();

		report.write(docs, cores, hashMs, hashCpuMs, limit, results, cpuPerLogin, plainStart, cdsStart, rssWarm, rssAfter,
				totalLogins, smallP50, largeP50, jmh, lastError);
		chart(docs.resolve("benchmarks-throughput.png"), results, limit);
		log("wrote %s", docs.resolve("benchmarks.md"));
	}

	/** Five runs of 30 logins, one at a time, each run's median login time. */
	private static double[] growth(Path jar, String db, String key, String[] secrets, String log) throws Exception {
		double[] p50 = new double[RUNS];
		try (BenchServer server = BenchServer.start(jar, List.of(), db, key, 18080, WORK.resolve(log))) {
			LoadDriver driver = new LoadDriver(server.port, secrets);
			driver.run(1, Duration.ofSeconds(3));
			for (int run = 0; run < RUNS; run++) {
				LoadDriver.Result result = driver.run(1, Duration.ofSeconds(3));
				p50[run] = median(result.loginMicros().stream().mapToDouble(Long::doubleValue).toArray()) / 1000;
			}
		}
		return p50;
	}

	static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return (sorted.length % 2 == 1) ? sorted[sorted.length / 2]
				: (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
	}

	static double medianOf(List<LoadDriver.Result> results, int concurrency, ToDoubleFunction<LoadDriver.Result> f) {
		return median(results.stream().filter((r) -> r.concurrency() == concurrency).mapToDouble(f).toArray());
	}

	private static void chart(Path png, List<LoadDriver.Result> results, double limit) throws IOException {
		XYSeries measured = new XYSeries("logins/s (median of " + RUNS + " runs)");
		XYSeries bound = new XYSeries("hash-bound limit (cores ÷ hash time)");
		for (int concurrency : CONCURRENCY) {
			measured.add(concurrency, medianOf(results, concurrency, LoadDriver.Result::loginsPerSecond));
			bound.add(concurrency, limit);
		}
		XYSeriesCollection data = new XYSeriesCollection();
		data.addSeries(measured);
		data.addSeries(bound);
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
		renderer.setSeriesStroke(1, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
				new float[] { 6f, 4f }, 0f));
		renderer.setSeriesShapesVisible(1, false);
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

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static void run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(WORK.resolve("tools.log").toFile())
			.start();
		if (process.waitFor() != 0) {
			throw new IllegalStateException("failed: " + String.join(" ", command) + " (see target/bench/tools.log)");
		}
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
