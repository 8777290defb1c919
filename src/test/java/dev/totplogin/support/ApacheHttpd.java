package dev.totplogin.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Apache httpd with mod_auth_openidc, started by a test from a temporary
 * directory on loopback, running a recipe from {@code docs/integration} as it is: the
 * harness configuration here only loads the modules, listens, serves the pages and
 * {@code Include}s the recipe, whose {@code ${...}} variables come from the process
 * environment.
 */
public final class ApacheHttpd implements AutoCloseable {

	public static final String PACKAGES = "apache2-bin libapache2-mod-auth-openidc";

	private static final Path MODULES = Path.of("/usr/lib/apache2/modules");

	private final Path binary;

	private final Path directory;

	private final Map<String, String> environment;

	private final int port;

	private final StringBuffer output = new StringBuffer();

	private Process process;

	private ApacheHttpd(Path binary, Path directory, Map<String, String> environment, int port) {
		this.binary = binary;
		this.directory = directory;
		this.environment = environment;
		this.port = port;
	}

	/**
	 * The binary and the module, or the test is skipped locally (fails under CI).
	 */
	public static Path require() {
		return DebianBinary.require(PACKAGES, Path.of("/usr/sbin/apache2"), MODULES.resolve("mod_auth_openidc.so"));
	}

	/**
	 * A server on {@code 127.0.0.1:port} serving {@code pages} (path under the document
	 * root → content) with {@code recipe} included; not started yet.
	 */
	public static ApacheHttpd prepare(Path recipe, int port, Map<String, String> environment,
			Map<String, String> pages) {
		Path binary = require();
		try {
			Path directory = Files.createTempDirectory("apache-openidc");
			Files.createDirectories(directory.resolve("run"));
			Path htdocs = directory.resolve("htdocs");
			for (Map.Entry<String, String> page : pages.entrySet()) {
				Path file = htdocs.resolve(page.getKey());
				Files.createDirectories(file.getParent());
				Files.writeString(file, page.getValue());
			}
			String conf = """
					ServerRoot "%1$s"
					ServerName localhost
					Listen 127.0.0.1:%2$d
					PidFile run/httpd.pid
					DefaultRuntimeDir run
					Mutex file:run default
					ErrorLog /dev/stderr
					LogLevel warn auth_openidc:info
					LoadModule mpm_event_module %3$s/mod_mpm_event.so
					LoadModule authz_core_module %3$s/mod_authz_core.so
					LoadModule authn_core_module %3$s/mod_authn_core.so
					LoadModule authz_user_module %3$s/mod_authz_user.so
					LoadModule mime_module %3$s/mod_mime.so
					LoadModule dir_module %3$s/mod_dir.so
					LoadModule include_module %3$s/mod_include.so
					LoadModule auth_openidc_module %3$s/mod_auth_openidc.so
					StartServers 1
					ServerLimit 1
					ThreadsPerChild 16
					MaxRequestWorkers 16
					MinSpareThreads 1
					MaxSpareThreads 16
					%4$s
					TypesConfig /dev/null
					AddType text/html .html .shtml
					DirectoryIndex index.shtml index.html
					DocumentRoot "%1$s/htdocs"
					<Directory "%1$s/htdocs">
					    Options +Includes
					    AddOutputFilter INCLUDES .shtml
					</Directory>
					Include "%5$s"
					""".formatted(directory, port, MODULES,
					"root".equals(System.getProperty("user.name")) ? "User nobody\nGroup nogroup" : "",
					recipe.toAbsolutePath());
			Files.writeString(directory.resolve("httpd.conf"), conf);
			// The workers run as nobody when the test runs as root: let them read the
			// pages.
			try (Stream<Path> files = Files.walk(directory)) {
				for (Path file : files.toList()) {
					Files.setPosixFilePermissions(file,
							PosixFilePermissions.fromString(Files.isDirectory(file) ? "rwxr-xr-x" : "rw-r--r--"));
				}
			}
			return new ApacheHttpd(binary, directory, environment, port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** {@code apache2 -t}: exit status and output. */
	public Result check() {
		Process check = launch("-t");
		try {
			String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			return new Result(check.waitFor(), out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public record Result(int exitStatus, String output) {
	}

	/** Starts it in the foreground and waits until it accepts connections. */
	public ApacheHttpd start() {
		this.process = launch("-DFOREGROUND");
		Thread reader = new Thread(() -> {
			try {
				this.process.getInputStream().transferTo(new java.io.OutputStream() {
					@Override
					public void write(int b) {
						ApacheHttpd.this.output.append((char) b);
					}

					@Override
					public void write(byte[] b, int off, int len) {
						String text = new String(b, off, len, StandardCharsets.UTF_8);
						ApacheHttpd.this.output.append(text);
						System.out.print("[apache] " + text);
					}
				});
			}
			catch (IOException ex) {
				this.output.append("(output closed: ").append(ex.getMessage()).append(")");
			}
		}, "apache-output");
		reader.setDaemon(true);
		reader.start();
		Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
		while (!accepts()) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"apache2 exited with " + this.process.exitValue() + ":\n" + this.output);
			}
			if (Instant.now().isAfter(deadline)) {
				throw new IllegalStateException("apache2 does not listen on " + this.port + ":\n" + this.output);
			}
			awaitExit(Duration.ofMillis(50));
		}
		return this;
	}

	/** What the server wrote so far (its error log), for failure messages. */
	public String output() {
		return this.output.toString();
	}

	public String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	@Override
	public void close() {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void awaitExit(Duration atMost) {
		try {
			this.process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private boolean accepts() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private Process launch(String... arguments) {
		ProcessBuilder builder = new ProcessBuilder(
				Stream.concat(Stream.of(this.binary.toString(), "-d", this.directory.toString(), "-f",
						this.directory.resolve("httpd.conf").toString()), Stream.of(arguments))
					.toList())
			.redirectErrorStream(true);
		builder.environment().putAll(this.environment);
		try {
			return builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
