package dev.totplogin.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One application process started from the jar, as an operator would, with its CPU time and memory from /proc. */
final class BenchServer implements AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Process process;

	final int port;

	final long startupMillis;

	private BenchServer(Process process, int port, long startupMillis) {
		this.process = process;
		this.port = port;
		this.startupMillis = startupMillis;
	}

	/**
	 * Starts {@code java [jvmOptions] -jar jar} on a database and waits for the first 200 on /login.
	 * @return the server, with the time from process start to that first 200
	 */
	static BenchServer start(Path jar, List<String> jvmOptions, String jdbcUrl, String key, int port, Path log)
			throws IOException, InterruptedException {
		return start(BenchmarkRun.java(), jar, jvmOptions, jdbcUrl, key, port, log);
	}

	/** The same with another Java installation's {@code java}. */
	static BenchServer start(String java, Path jar, List<String> jvmOptions, String jdbcUrl, String key, int port,
			Path log) throws IOException, InterruptedException {
		return start(java, Map.of(), jar, jvmOptions, jdbcUrl, key, port, log);
	}

	/** The same with environment variables for the server process (e.g. {@code MALLOC_ARENA_MAX}). */
	static BenchServer start(String java, Map<String, String> environment, Path jar, List<String> jvmOptions,
			String jdbcUrl, String key, int port, Path log) throws IOException, InterruptedException {
		return start(java, environment, jar, jvmOptions, jdbcUrl, key, port, log, List.of());
	}

	/** The same with further application arguments (e.g. {@code --spring.datasource.username=...}). */
	static BenchServer start(String java, Map<String, String> environment, Path jar, List<String> jvmOptions,
			String jdbcUrl, String key, int port, Path log, List<String> arguments)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(java));
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--spring.datasource.url=" + jdbcUrl,
				"--app.security.encryption.key=" + key, "--app.security.registration-limit.per-ip-per-hour=100000000",
				"--logging.level.root=WARN",
				"--logging.level.security.audit=WARN",
				// Measure throughput, not the overload guard: at 32 users a turn at hashing can take over 2 s.
				"--app.security.hashing.max-wait=30s"));
		command.addAll(arguments);
		long start = System.nanoTime();
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().putAll(environment);
		Process process = builder.start();
		HttpRequest login = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login")).build();
		while (true) {
			if (!process.isAlive()) {
				throw new IllegalStateException("server exited during start-up, see " + log);
			}
			try {
				if (http.send(login, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return new BenchServer(process, port, (System.nanoTime() - start) / 1_000_000);
				}
			}
			catch (IOException notYet) {
				// Not listening yet: poll again.
			}
			if (System.nanoTime() - start > Duration.ofMinutes(2).toNanos()) {
				process.destroyForcibly();
				throw new IllegalStateException("server not ready within 2 minutes, see " + log);
			}
			Thread.sleep(20);
		}
	}

	long pid() {
		return this.process.pid();
	}

	/** User plus system CPU time of the server process so far, in seconds. */
	double cpuSeconds() throws IOException {
		String stat = Files.readString(Path.of("/proc", Long.toString(this.process.pid()), "stat"));
		return ticks(stat) / (double) clockTicksPerSecond();
	}

	/** utime + stime of a /proc stat line. */
	private static long ticks(String stat) {
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		// After "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	/**
	 * CPU time so far by kind of thread (the thread name with its number dropped: "http-nio-exec", "GC Thread",
	 * "C2 CompilerThre", ...), in seconds.
	 */
	Map<String, Double> cpuSecondsByThreadKind() throws IOException {
		Map<String, Double> byKind = new TreeMap<>();
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(this.process.pid()), "task"))) {
			for (Path task : tasks) {
				String stat;
				try {
					stat = Files.readString(task.resolve("stat"));
				}
				catch (NoSuchFileException ended) {
					continue;
				}
				String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-#]?[0-9]+", "");
				byKind.merge(name, ticks(stat) / (double) clockTicksPerSecond(), Double::sum);
			}
		}
		return byKind;
	}

	/**
	 * A reading of a process's CPU, s: the whole process (/proc/pid/stat, which keeps the time of threads that have
	 * ended: Keycloak's worker pool shrinks and grows, and a sum over live threads then goes backwards), and each live
	 * thread by "tid name", for the shares of the JIT's and the GC's threads.
	 */
	record CpuReading(double process, Map<String, Double> threads) {

		static CpuReading of(long pid) throws IOException {
			Map<String, Double> threads = new TreeMap<>();
			try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
				for (Path task : tasks) {
					try {
						String stat = Files.readString(task.resolve("stat"));
						threads.put(task.getFileName() + " " + stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
								ticks(stat) / (double) clockTicksPerSecond());
					}
					catch (NoSuchFileException ended) {
						// Ended since the listing.
					}
				}
			}
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			return new CpuReading(ticks(stat) / (double) clockTicksPerSecond(), threads);
		}

		/**
		 * CPU seconds since {@code before}: the whole process for "", else the threads whose name contains
		 * {@code kind} (a thread that ended in between loses its share since the earlier reading).
		 */
		double since(CpuReading before, String kind) {
			if (kind.isEmpty()) {
				return this.process - before.process;
			}
			return this.threads.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().contains(kind))
				.mapToDouble((entry) -> entry.getValue() - before.threads.getOrDefault(entry.getKey(), 0.0))
				.sum();
		}

	}

	CpuReading cpu() throws IOException {
		return CpuReading.of(this.process.pid());
	}

	/** Resident set size, MiB. */
	long rssMib() throws IOException {
		return rssMib(this.process.pid());
	}

	static long rssMib(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
			}
		}
		throw new IllegalStateException("no VmRSS");
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
	}

	private static long clockTicks;

	private static synchronized long clockTicksPerSecond() throws IOException {
		if (clockTicks == 0) {
			Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
			clockTicks = Long.parseLong(new String(getconf.getInputStream().readAllBytes()).strip());
		}
		return clockTicks;
	}

}
