package dev.totplogin.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Times the password hash inside the server process, through {@link HashProbeAgent}: every core checking at once,
 * between load runs.
 * <p>
 * Why inside the server: on this (virtual) machine the same Argon2 check runs at one of two speeds, about 1.8× apart,
 * decided per JVM and sometimes changing during a JVM's life (docs/performance.md, Benchmarks). A hash timed in any
 * other JVM (the benchmark's own, or a fresh one) is therefore a coin toss away from the server's, and the CPU ratio
 * swung between 1.0 and 2.2 with it. Timed in the server, the hash shares its heap, its garbage collector and its
 * compiled Argon2 code, and the ratio measures what is left: the rest of the login.
 */
final class HashProbe implements AutoCloseable {

	private final Socket socket;

	private final BufferedReader results;

	private final PrintWriter commands;

	private HashProbe(Socket socket) throws IOException {
		this.socket = socket;
		this.results = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
		this.commands = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.US_ASCII);
	}

	/**
	 * Writes the agent jar: the agent class, with Bouncy Castle and argon2-jvm (the application's versions, from this
	 * class path) on its class path.
	 * @return the JVM option that loads it into a server, listening on {@code port}
	 */
	static String agentOption(Path directory, int port) throws IOException {
		return agentOption(directory, port, false);
	}

	/** @param nativeArgon2 whether the server hashes with libargon2 (app.security.argon2.implementation=native) */
	static String agentOption(Path directory, int port, boolean nativeArgon2) throws IOException {
		Path jar = directory.resolve("hash-probe.jar");
		String libraries = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
			.filter((entry) -> entry.contains("bcprov") || entry.contains("argon2-jvm") || entry.contains("jna"))
			.map((entry) -> Path.of(entry).toUri().toString())
			.collect(java.util.stream.Collectors.joining(" "));
		if (!libraries.contains("bcprov") || !libraries.contains("argon2-jvm")) {
			throw new IllegalStateException("Bouncy Castle or argon2-jvm is not on the class path");
		}
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), HashProbeAgent.class.getName());
		manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, libraries);
		String entry = HashProbeAgent.class.getName().replace('.', '/') + ".class";
		try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
			out.putNextEntry(new JarEntry(entry));
			out.write(HashProbeAgent.class.getClassLoader().getResourceAsStream(entry).readAllBytes());
			out.closeEntry();
		}
		return "-javaagent:" + jar.toAbsolutePath() + "=" + port + (nativeArgon2 ? ",native" : "");
	}

	/** Connects to the agent of a started server and warms its checks up. */
	static HashProbe connect(int port, int cores) throws IOException {
		HashProbe probe = new HashProbe(new Socket("localhost", port));
		probe.measure(cores, 10);
		return probe;
	}

	/** {@code threads} threads check {@code checks} passwords each, all at once. */
	BenchmarkRun.HashCost measure(int threads, int checks) throws IOException {
		this.commands.println(threads + " " + checks);
		String line = this.results.readLine();
		if (line == null) {
			throw new IllegalStateException("the hash probe closed the connection");
		}
		List<Double> figures = Arrays.stream(line.split(" ")).map(Double::valueOf).toList();
		return new BenchmarkRun.HashCost(figures.get(0), figures.get(1), figures.get(2));
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
