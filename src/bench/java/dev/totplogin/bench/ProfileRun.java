package dev.totplogin.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.totplogin.crypto.SecretCipher;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Where a login's CPU goes, for bench/profile.sh: the server runs under JFR while the load driver signs users in,
 * then prints the server's CPU per login split by thread kind (from /proc: request threads, GC, JIT, ...) and the
 * request threads' JFR samples split by what they were doing (innermost frame of a known kind).
 */
public final class ProfileRun {

	/** Innermost frame whose class starts with the prefix decides the kind of a sample; first match wins. */
	private static final Map<String, String> KINDS = new LinkedHashMap<>();

	static {
		KINDS.put("org.bouncycastle.crypto.generators.Argon2", "password hash (Argon2)");
		KINDS.put("de.mkammerer.argon2", "password hash (native Argon2, its Java side)");
		KINDS.put("com.sun.jna", "password hash (native Argon2, its Java side)");
		KINDS.put("com.warrenstrange", "TOTP check");
		KINDS.put("dev.totplogin.crypto", "secret decryption");
		KINDS.put("org.thymeleaf", "Thymeleaf");
		KINDS.put("java.io.Object", "Java serialization");
		KINDS.put("org.springframework.session", "Spring Session");
		KINDS.put("org.h2", "H2");
		KINDS.put("org.hibernate", "Hibernate");
		KINDS.put("com.zaxxer.hikari", "Hikari");
		KINDS.put("ch.qos.logback", "logging");
		KINDS.put("org.apache.tomcat", "Tomcat");
		KINDS.put("org.apache.catalina", "Tomcat");
		KINDS.put("org.apache.coyote", "Tomcat");
		KINDS.put("org.springframework.security", "Spring Security");
		KINDS.put("org.springframework.web", "Spring MVC");
		KINDS.put("dev.totplogin", "application");
	}

	private ProfileRun() {
	}

	public static void main(String[] args) throws Exception {
		int users = args.length > 0 ? Integer.parseInt(args[0]) : 4;
		Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 30);
		Duration warmUp = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 60);
		List<String> extraJvmOptions = args.length > 3 ? List.of(args[3].split(" ")) : List.of();
		Path work = Path.of("target", "bench", "profile");
		BenchmarkRun.recreate(work);
		byte[] keyBytes = new byte[32];
		new SecureRandom().nextBytes(keyBytes);
		Argon2PasswordEncoder argon2 = Seeder.passwordEncoder();
		String hash = argon2.encode(Seeder.PASSWORD);
		String db = "jdbc:h2:file:" + work.toAbsolutePath().resolve("db");
		String[] secrets = Seeder.seed(db, 3_000, 0, new SecretCipher(keyBytes, List.of()), "{argon2}" + hash);
		Path recording = work.resolve("server.jfr");
		List<String> jvm = new ArrayList<>(List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
				+ recording.toAbsolutePath(), HashProbe.agentOption(work, BenchmarkRun.PROBE_PORT, true)));
		jvm.addAll(extraJvmOptions);
		Map<String, Double> cpu;
		int logins;
		BenchmarkRun.HashCost hashCost;
		Instant windowStart;
		Instant windowEnd;
		int cores = Runtime.getRuntime().availableProcessors();
		try (BenchServer server = BenchServer.start(BenchmarkRun.findJar(), jvm, db,
				Base64.getEncoder().encodeToString(keyBytes), 18080, work.resolve("server.log"));
				HashProbe probe = HashProbe.connect(BenchmarkRun.PROBE_PORT, cores)) {
			LoadDriver driver = new LoadDriver(server.port, secrets);
			driver.run(users, warmUp);
			hashCost = probe.measure(cores, 5);
			Map<String, Double> before = server.cpuSecondsByThreadKind();
			windowStart = Instant.now();
			LoadDriver.Result result = driver.run(users, duration);
			windowEnd = Instant.now();
			Map<String, Double> after = server.cpuSecondsByThreadKind();
			logins = result.logins();
			cpu = new HashMap<>();
			after.forEach((kind, seconds) -> cpu.put(kind, seconds - before.getOrDefault(kind, 0.0)));
			System.out.printf("%d users, %.1f logins/s, %d errors%n", users, result.loginsPerSecond(), result.errors());
		}
		double total = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
		System.out.printf("%none password check just before, in the server, %d at once: %.1f ms wall, %.1f ms CPU%n",
				cores, hashCost.wallMs(), hashCost.cpuMs());
		System.out.printf("server CPU per login: %.1f ms%n", total * 1000 / logins);
		cpu.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.filter((e) -> e.getValue() > 0)
			.forEach((e) -> System.out.printf("  %-28s %6.1f ms%n", e.getKey(), e.getValue() * 1000 / logins));
		printSamples(recording, windowStart, windowEnd);
	}

	/** The request threads' samples taken while the measured run was under way (not start-up, not warm-up). */
	private static void printSamples(Path recording, Instant from, Instant to) throws IOException {
		Map<String, Integer> byKind = new HashMap<>();
		Map<String, Integer> byTopFrame = new HashMap<>();
		int samples = 0;
		for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
			if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null
					|| !event.getThread("sampledThread").getJavaName().startsWith("http-nio")
					|| event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
				continue;
			}
			samples++;
			List<RecordedFrame> frames = event.getStackTrace().getFrames();
			String kind = "other";
			outer: for (RecordedFrame frame : frames) {
				String type = frame.getMethod().getType().getName();
				for (Map.Entry<String, String> entry : KINDS.entrySet()) {
					if (type.startsWith(entry.getKey())) {
						kind = entry.getValue();
						break outer;
					}
				}
			}
			byKind.merge(kind, 1, Integer::sum);
			if (!kind.startsWith("password hash")) {
				RecordedFrame top = frames.get(0);
				byTopFrame.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
			}
		}
		int all = samples;
		System.out.printf("%nrequest-thread samples (%d), by the innermost known frame:%n", all);
		sorted(byKind).limit(20).forEach((e) -> System.out.printf("  %-28s %5.1f %%%n", e.getKey(), 100.0 * e.getValue() / all));
		System.out.printf("%nhottest methods outside the password hash:%n");
		sorted(byTopFrame).limit(25).forEach((e) -> System.out.printf("  %5.1f %%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
	}

	private static Stream<Map.Entry<String, Integer>> sorted(Map<String, Integer> counts) {
		return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed());
	}

}
