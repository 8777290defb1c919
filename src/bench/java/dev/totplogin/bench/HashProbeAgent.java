package dev.totplogin.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.sun.management.OperatingSystemMXBean;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * A Java agent ({@code -javaagent:hash-probe.jar=port}) that times the password hash inside the server process: on
 * loopback {@code port} it reads "threads checks" lines and answers "wall-ms-per-check process-cpu-ms-per-check
 * thread-cpu-ms-per-check" (the last: the checking threads' own CPU, the hash code alone, without what the rest of the
 * process did meanwhile).
 * It uses only the JDK and the library the application hashes with (Bouncy Castle, or libargon2 through argon2-jvm
 * with {@code =port,native}), so it shares the server's heap, garbage collector and compiled Argon2 code. See {@link HashProbe} for why.
 */
public final class HashProbeAgent {

	private HashProbeAgent() {
	}

	/** What the server hashes with: {@code java} (Bouncy Castle) or {@code native} (libargon2, argon2-jvm). */
	private static volatile boolean nativeArgon2;

	private static volatile de.mkammerer.argon2.Argon2 libargon2;

	private static volatile String nativeHash;

	/** @param arguments {@code port} or {@code port,native} */
	public static void premain(String arguments) {
		String[] parts = arguments.split(",");
		int port = Integer.parseInt(parts[0]);
		if (parts.length > 1 && parts[1].equals("native")) {
			libargon2 = de.mkammerer.argon2.Argon2Factory.create(de.mkammerer.argon2.Argon2Factory.Argon2Types.ARGON2id,
					Seeder.SALT_BYTES, Seeder.HASH_BYTES);
			nativeHash = libargon2.hash(Seeder.ITERATIONS, Seeder.MEMORY_KIB, Seeder.PARALLELISM,
					Seeder.PASSWORD.toCharArray(), StandardCharsets.UTF_8);
			nativeArgon2 = true;
		}
		Thread listener = new Thread(() -> serve(port), "hash-probe");
		listener.setDaemon(true);
		listener.start();
	}

	private static void serve(int port) {
		ExecutorService checkers = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "hash-probe-check");
			thread.setDaemon(true);
			return thread;
		});
		OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			while (true) {
				try (Socket client = server.accept();
						BufferedReader in = new BufferedReader(
								new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
						PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.US_ASCII)) {
					for (String line = in.readLine(); line != null; line = in.readLine()) {
						String[] command = line.split(" ");
						int threads = Integer.parseInt(command[0]);
						int checks = Integer.parseInt(command[1]);
						long cpu = os.getProcessCpuTime();
						long start = System.nanoTime();
						long threadCpu = check(checkers, threads, checks);
						double wallMs = (System.nanoTime() - start) / 1e6 / checks;
						double cpuMs = (os.getProcessCpuTime() - cpu) / 1e6 / (threads * checks);
						out.printf(Locale.ROOT, "%.3f %.3f %.3f%n", wallMs, cpuMs, threadCpu / 1e6 / (threads * checks));
					}
				}
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("hash probe stopped", ex);
		}
	}

	/** @return the checking threads' CPU time, ns */
	private static long check(ExecutorService checkers, int threads, int checks) throws Exception {
		ThreadMXBean threadCpu = ManagementFactory.getThreadMXBean();
		List<Future<Long>> running = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			running.add(checkers.submit(() -> {
				long before = threadCpu.getCurrentThreadCpuTime();
				for (int i = 0; i < checks; i++) {
					argon2id();
				}
				return threadCpu.getCurrentThreadCpuTime() - before;
			}));
		}
		long total = 0;
		for (Future<Long> task : running) {
			total += task.get();
		}
		return total;
	}

	/**
	 * What the application's encoder computes for a check, with its default parameters: libargon2's verify, or what
	 * Spring's Argon2PasswordEncoder.matches computes.
	 */
	private static void argon2id() {
		if (nativeArgon2) {
			if (!libargon2.verify(nativeHash, Seeder.PASSWORD.toCharArray(), StandardCharsets.UTF_8)) {
				throw new IllegalStateException("libargon2 refused its own hash");
			}
			return;
		}
		bouncyCastle();
	}

	private static byte[] bouncyCastle() {
		Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
			.withSalt(new byte[Seeder.SALT_BYTES])
			.withParallelism(Seeder.PARALLELISM)
			.withMemoryAsKB(Seeder.MEMORY_KIB)
			.withIterations(Seeder.ITERATIONS)
			.build();
		Argon2BytesGenerator generator = new Argon2BytesGenerator();
		generator.init(parameters);
		byte[] hash = new byte[Seeder.HASH_BYTES];
		generator.generateBytes(Seeder.PASSWORD.getBytes(StandardCharsets.UTF_8), hash);
		return hash;
	}

}
