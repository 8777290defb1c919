package dev.totplogin.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
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
 * loopback {@code port} it reads "threads checks" lines and answers "wall-ms-per-check process-cpu-ms-per-check".
 * It uses only the JDK and Bouncy Castle (the same jar the application hashes with), so it shares the server's
 * heap, garbage collector and compiled Argon2 code. See {@link HashProbe} for why.
 */
public final class HashProbeAgent {

	private HashProbeAgent() {
	}

	public static void premain(String arguments) {
		int port = Integer.parseInt(arguments);
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
						check(checkers, threads, checks);
						double wallMs = (System.nanoTime() - start) / 1e6 / checks;
						double cpuMs = (os.getProcessCpuTime() - cpu) / 1e6 / (threads * checks);
						out.printf(Locale.ROOT, "%.3f %.3f%n", wallMs, cpuMs);
					}
				}
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("hash probe stopped", ex);
		}
	}

	private static void check(ExecutorService checkers, int threads, int checks) throws Exception {
		List<Future<?>> running = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			running.add(checkers.submit(() -> {
				for (int i = 0; i < checks; i++) {
					argon2id();
				}
			}));
		}
		for (Future<?> task : running) {
			task.get();
		}
	}

	/** What Spring's Argon2PasswordEncoder.matches computes, with the application's default parameters. */
	private static byte[] argon2id() {
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
