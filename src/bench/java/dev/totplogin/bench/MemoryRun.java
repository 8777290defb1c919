package dev.totplogin.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import dev.totplogin.crypto.SecretCipher;

/**
 * The server's resident memory over 10,000 full logins (8 users at once), once per argument: JVM options separated by
 * spaces ({@code ""} for none), {@code NAME=value} words as environment variables: RSS after every 2,000 logins, and the
 * server's CPU per login and logins/s over the last 8,000 (after the JIT's warm-up). For the figures of the run
 * commands in docs/performance.md, Memory.
 */
public final class MemoryRun {

	private static final int LOGINS = 10_000;

	private static final int STEP = 2_000;

	private MemoryRun() {
	}

	public static void main(String[] args) throws Exception {
		Path work = Path.of("target", "bench-memory");
		if (Files.exists(work)) {
			try (var files = Files.walk(work)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
		Files.createDirectories(work);
		byte[] keyBytes = new byte[32];
		new SecureRandom().nextBytes(keyBytes);
		String key = Base64.getEncoder().encodeToString(keyBytes);
		String hash = Seeder.passwordEncoder().encode(Seeder.PASSWORD);
		List<String> report = new ArrayList<>();
		int n = 0;
		for (String options : args) {
			String db = "jdbc:h2:file:" + work.resolve("memory" + (++n)).toAbsolutePath();
			String[] secrets = Seeder.seed(db, 3_000, 0, new SecretCipher(keyBytes, List.of()), "{argon2}" + hash);
			List<String> words = options.isBlank() ? List.of() : Arrays.asList(options.trim().split(" +"));
			// NAME=value words are environment variables of the server (e.g. MALLOC_ARENA_MAX=2), the rest JVM options.
			Map<String, String> environment = new LinkedHashMap<>();
			List<String> jvm = new ArrayList<>();
			for (String word : words) {
				if (word.matches("[A-Z_]+=.*")) {
					environment.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
				}
				else {
					jvm.add(word);
				}
			}
			StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| `%s` |",
					options.isBlank() ? "(no JVM option)" : options));
			try (BenchServer server = BenchServer.start(BenchmarkRun.java(), environment, BenchmarkRun.findJar(), jvm, db,
					key, 18180 + n, work.resolve("memory" + n + ".log"))) {
				line.append(String.format(Locale.ROOT, " %d |", server.rssMib()));
				LoadDriver driver = new LoadDriver(server.port, secrets);
				int logins = 0;
				int errors = 0;
				int next = STEP;
				double cpuAtFirstStep = 0;
				int loginsAtFirstStep = 0;
				long nanosAtFirstStep = 0;
				while (logins < LOGINS) {
					LoadDriver.Result result = driver.run(8, Duration.ofSeconds(10));
					logins += result.logins();
					errors += result.errors();
					if (result.logins() == 0) {
						throw new IllegalStateException("no login got through: " + driver.lastError);
					}
					if (logins >= next) {
						line.append(String.format(Locale.ROOT, " %d |", server.rssMib()));
						if (next == STEP) {
							cpuAtFirstStep = server.cpuSeconds();
							loginsAtFirstStep = logins;
							nanosAtFirstStep = System.nanoTime();
						}
						next += STEP;
					}
				}
				int measured = logins - loginsAtFirstStep;
				line.append(String.format(Locale.ROOT, " %.1f ms | %.1f | %,d logins, %d errors |",
						(server.cpuSeconds() - cpuAtFirstStep) * 1000 / measured,
						measured / ((System.nanoTime() - nanosAtFirstStep) / 1e9), logins, errors));
			}
			System.out.println(line);
			report.add(line.toString());
		}
		System.out.println("| JVM options | RSS at start, MiB | after 2k | 4k | 6k | 8k | 10k | server CPU per login | logins/s | |");
		report.forEach(System.out::println);
	}

}
