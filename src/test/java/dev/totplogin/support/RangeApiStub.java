package dev.totplogin.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Have I Been Pwned's range API on a local port (the JDK's HTTP server): for
 * {@code GET /range/ABCDE} it answers, as the real one does, one {@code SUFFIX:COUNT}
 * line per breached password whose SHA-1 starts with those five hex digits, among a few
 * filler lines. It keeps every request as received, to show what left the application. It
 * can also answer with an error status, or not at all until closed (a slow service).
 */
public final class RangeApiStub implements AutoCloseable {

	/** What reached the stub: method, the path and query as sent, headers, body. */
	public record Received(String method, String rawPathAndQuery, String addPadding, byte[] body) {
	}

	private final HttpServer server;

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final List<String> breachedHashes;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final CountDownLatch closed = new CountDownLatch(1);

	private volatile int status = 200;

	private volatile boolean late;

	private RangeApiStub(List<String> breachedPasswords) throws IOException {
		this.breachedHashes = breachedPasswords.stream().map(RangeApiStub::sha1).toList();
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", this::answer);
		this.server.setExecutor(this.threads);
		this.server.start();
	}

	/** A stub that knows these passwords as breached, on a free local port. */
	public static RangeApiStub start(String... breachedPasswords) {
		try {
			return new RangeApiStub(List.of(breachedPasswords));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The base URL to configure as {@code app.breached-passwords.api-url}. */
	public String url() {
		return "http://" + this.server.getAddress().getAddress().getHostAddress() + ":"
				+ this.server.getAddress().getPort() + "/range/";
	}

	public List<Received> received() {
		return List.copyOf(this.received);
	}

	public void forget() {
		this.received.clear();
	}

	/** From now on every answer has this status (200: the normal answer). */
	public void answerWith(int status) {
		this.status = status;
	}

	/** From now on no answer comes until the stub is closed. */
	public void answerLate() {
		this.late = true;
	}

	/** The upper-case hex SHA-1 of a password, as the API counts it. */
	public static String sha1(String password) {
		try {
			return HexFormat.of()
				.withUpperCase()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void answer(HttpExchange exchange) throws IOException {
		try (exchange) {
			this.received.add(new Received(exchange.getRequestMethod(),
					exchange.getRequestURI().getRawPath() + ((exchange.getRequestURI().getRawQuery() != null)
							? "?" + exchange.getRequestURI().getRawQuery() : ""),
					exchange.getRequestHeaders().getFirst("Add-Padding"), exchange.getRequestBody().readAllBytes()));
			if (this.late) {
				try {
					this.closed.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return;
			}
			if (this.status != 200) {
				exchange.sendResponseHeaders(this.status, -1);
				return;
			}
			String prefix = exchange.getRequestURI().getPath().replaceFirst("^/range/", "").toUpperCase(Locale.ROOT);
			StringBuilder lines = new StringBuilder();
			// Filler: suffixes no password here has, the padding's count of 0 among them.
			lines.append("0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n");
			lines.append("00D4F6E8FA6EECAD2A3AA415EEC418D38EC:2\r\n");
			lines.append("011053FD0102E94D6AE2F8B83D76FAF94F6:0\r\n");
			for (String hash : this.breachedHashes) {
				if (hash.startsWith(prefix)) {
					lines.append(hash.substring(5)).append(":52579\r\n");
				}
			}
			byte[] body = lines.toString().getBytes(StandardCharsets.US_ASCII);
			exchange.getResponseHeaders().set("Content-Type", "text/plain");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	@Override
	public void close() {
		this.closed.countDown();
		this.server.stop(0);
		this.threads.shutdownNow();
	}

}
