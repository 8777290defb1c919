package dev.totplogin.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Keycloak as its distribution starts it: the Maven Central zip (copied to target/ by the bench build, cached in
 * ~/.m2) unpacked, {@code bin/kc.sh start-dev} with its embedded dev database and kc.sh's own JVM options (of ours only
 * {@link #JAVA_25_OPEN}, which Java 25 needs), the bootstrap admin from the environment. Its CPU is read from /proc like
 * {@link BenchServer}'s, from the java process kc.sh starts (kc.sh execs it when Quarkus re-augments at the first
 * start).
 */
final class KeycloakServer implements AutoCloseable {

	static final String VERSION = "26.4.7";

	static final String ADMIN = "admin";

	static final String ADMIN_PASSWORD = "bench-admin-password";

	/** Keycloak 26 needs Java 21 or later; this machine has 17 and 25. */
	static final String DEFAULT_JAVA_HOME = "/usr/lib/jvm/temurin-25-jdk-amd64";

	/** The one JVM option added to kc.sh's (through its JAVA_OPTS_APPEND). */
	static final String JAVA_25_OPEN = "--add-opens=java.base/java.lang=ALL-UNNAMED";

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Process process;

	final int port;

	final String base;

	private final Path home;

	private volatile long startupMillis = -1;

	private volatile long javaPid = -1;

	private final long startedAt = System.nanoTime();

	private KeycloakServer(Process process, int port, Path home) {
		this.process = process;
		this.port = port;
		this.base = "http://localhost:" + port;
		this.home = home;
	}

	/**
	 * The zip the bench build copied to target/ (bench profile, maven-dependency-plugin).
	 */
	static Path distribution() {
		Path zip = Path.of("target", "keycloak-quarkus-dist-" + VERSION + ".zip");
		if (!Files.isRegularFile(zip)) {
			throw new IllegalStateException("no " + zip + ": build with bench/build.sh");
		}
		return zip;
	}

	/**
	 * Unpacks the distribution under {@code work} and starts {@code kc.sh start-dev};
	 * {@link #awaitReady} waits.
	 */
	static KeycloakServer start(Path work, int port, Path log) throws IOException {
		Path home = unzip(distribution(), work).toAbsolutePath();
		ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
				"--http-port=" + port)
			.directory(home.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Map<String, String> environment = builder.environment();
		environment.put("JAVA_HOME", javaHome());
		environment.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
		environment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
		// kc.sh's defaults, as ours run with none: no JAVA_OPTS of ours. One addition,
		// because this machine's only
		// Java past 21 is 25: from Java 24 on, Keycloak 26.4's executor (JBoss Threads)
		// needs java.lang opened, or
		// each new worker thread dies with an IllegalAccessError and its request hangs.
		environment.remove("JAVA_OPTS");
		environment.remove("JAVA_TOOL_OPTIONS");
		environment.put("JAVA_OPTS_APPEND", JAVA_25_OPEN);
		return new KeycloakServer(builder.start(), port, home);
	}

	/** $BENCH_KEYCLOAK_JAVA_HOME, else the JDK 25 of this machine. */
	static String javaHome() {
		String configured = System.getenv("BENCH_KEYCLOAK_JAVA_HOME");
		return (configured != null && !configured.isBlank()) ? configured : DEFAULT_JAVA_HOME;
	}

	/**
	 * Until the master realm answers 200 (4 minutes at most); the time from the start,
	 * ms.
	 */
	long awaitReady() throws IOException, InterruptedException {
		if (this.startupMillis >= 0) {
			return this.startupMillis;
		}
		HttpRequest realm = HttpRequest.newBuilder(URI.create(this.base + "/realms/master")).build();
		while (true) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("Keycloak exited during start-up, see its log");
			}
			try {
				if (http.send(realm, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					this.startupMillis = (System.nanoTime() - this.startedAt) / 1_000_000;
					this.javaPid = findJava();
					return this.startupMillis;
				}
			}
			catch (IOException notYet) {
				// Not listening yet: poll again.
			}
			if (System.nanoTime() - this.startedAt > Duration.ofMinutes(4).toNanos()) {
				throw new IllegalStateException("Keycloak not ready within 4 minutes");
			}
			Thread.sleep(100);
		}
	}

	/**
	 * kc.sh itself once it has exec'd java (after a re-augmentation), else the java
	 * process it started.
	 */
	private long findJava() {
		Stream<ProcessHandle> candidates = Stream.concat(Stream.of(this.process.toHandle()),
				this.process.descendants());
		return candidates.filter(ProcessHandle::isAlive)
			.filter((handle) -> handle.info().command().map((command) -> command.endsWith("/java")).orElse(false))
			.mapToLong(ProcessHandle::pid)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no java process under kc.sh"));
	}

	long pid() {
		return this.javaPid;
	}

	/**
	 * The JVM options kc.sh gave its java process (its defaults, and
	 * {@link #JAVA_25_OPEN}), without its system properties.
	 */
	Optional<String> jvmOptions() {
		return ProcessHandle.of(this.javaPid)
			.flatMap((handle) -> handle.info().arguments())
			.map((arguments) -> String.join(" ",
					Stream.of(arguments)
						.takeWhile((argument) -> !argument.equals("-cp"))
						.filter((argument) -> argument.startsWith("-X") || argument.startsWith("--add-opens"))
						.toList()));
	}

	/** Its CPU so far, as {@link BenchServer#cpu()}. */
	BenchServer.CpuReading cpu() throws IOException {
		return BenchServer.CpuReading.of(this.javaPid);
	}

	long rssMib() throws IOException {
		return BenchServer.rssMib(this.javaPid);
	}

	private static Path unzip(Path zip, Path work) throws IOException {
		Path target = Files.createDirectories(work.resolve("keycloak"));
		try (ZipFile file = new ZipFile(zip.toFile())) {
			Enumeration<? extends ZipEntry> entries = file.entries();
			while (entries.hasMoreElements()) {
				ZipEntry entry = entries.nextElement();
				Path path = target.resolve(entry.getName()).normalize();
				if (!path.startsWith(target)) {
					throw new IllegalStateException("zip entry outside its directory: " + entry.getName());
				}
				if (entry.isDirectory()) {
					Files.createDirectories(path);
					continue;
				}
				Files.createDirectories(path.getParent());
				try (InputStream in = file.getInputStream(entry)) {
					Files.copy(in, path, StandardCopyOption.REPLACE_EXISTING);
				}
				if (path.getFileName().toString().endsWith(".sh")) {
					path.toFile().setExecutable(true);
				}
			}
		}
		return target.resolve("keycloak-" + VERSION);
	}

	Path home() {
		return this.home;
	}

	@Override
	public void close() throws InterruptedException {
		this.process.descendants().forEach(ProcessHandle::destroy);
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.descendants().forEach(ProcessHandle::destroyForcibly);
			this.process.destroyForcibly().waitFor();
		}
	}

}
