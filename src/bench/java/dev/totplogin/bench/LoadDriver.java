package dev.totplogin.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.totplogin.support.TestTotp;

/**
 * Virtual users, each signing in again and again the whole way: GET /login, POST /login, GET /verify-2fa,
 * POST /verify-2fa (a code computed with javax.crypto), GET /. Users are taken round-robin from a pool large enough
 * that none signs in twice within one 30-second step.
 */
final class LoadDriver {

	static final String[] STEPS = { "GET /login", "POST /login", "GET /verify-2fa", "POST /verify-2fa", "GET /" };

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.executor(Executors.newFixedThreadPool(8, (task) -> {
			Thread thread = new Thread(task);
			// Idle client threads must not keep the benchmark's JVM alive.
			thread.setDaemon(true);
			return thread;
		}))
		.build();

	private final String base;

	private final String[] secrets;

	private final AtomicInteger nextUser = new AtomicInteger();

	/** The last exception a login ended with, for the report when errors are not zero. */
	volatile String lastError;

	LoadDriver(int port, String[] secrets) {
		this.base = "http://localhost:" + port;
		this.secrets = secrets;
	}

	/** What one run measured. */
	record Result(int concurrency, int logins, int errors, double seconds, List<List<Long>> stepMicros,
			List<Long> loginMicros) {

		double loginsPerSecond() {
			return this.logins / this.seconds;
		}

		long percentileMillis(int step, double percentile) {
			List<Long> sorted = new ArrayList<>(this.stepMicros.get(step));
			if (sorted.isEmpty()) {
				return 0;
			}
			Collections.sort(sorted);
			int index = (int) Math.min(sorted.size() - 1, Math.ceil(percentile / 100 * sorted.size()) - 1);
			return sorted.get(Math.max(0, index)) / 1000;
		}

	}

	/** {@code concurrency} virtual users for {@code duration}; logins under way at the end are finished. */
	Result run(int concurrency, Duration duration) throws Exception {
		List<List<Long>> steps = new ArrayList<>();
		for (int i = 0; i < STEPS.length; i++) {
			steps.add(Collections.synchronizedList(new ArrayList<>()));
		}
		List<Long> whole = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger logins = new AtomicInteger();
		AtomicInteger errors = new AtomicInteger();
		ExecutorService users = Executors.newFixedThreadPool(concurrency);
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		List<Future<?>> running = new ArrayList<>();
		for (int i = 0; i < concurrency; i++) {
			running.add(users.submit(() -> {
				while (System.nanoTime() < end) {
					long loginStart = System.nanoTime();
					if (signIn(steps)) {
						whole.add((System.nanoTime() - loginStart) / 1000);
						logins.incrementAndGet();
					}
					else {
						errors.incrementAndGet();
					}
				}
				return null;
			}));
		}
		for (Future<?> user : running) {
			user.get();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		users.shutdown();
		return new Result(concurrency, logins.get(), errors.get(), seconds, steps, whole);
	}

	/**
	 * One user signs in, then asks for {@code path} {@code views} times in that session, one request after another.
	 * @return how many of those answered 200
	 */
	int pageViews(String path, int views) throws Exception {
		List<List<Long>> steps = new ArrayList<>();
		for (int i = 0; i < STEPS.length; i++) {
			steps.add(new ArrayList<>());
		}
		Map<String, String> cookie = new LinkedHashMap<>();
		if (!signIn(steps, cookie)) {
			throw new IllegalStateException("could not sign in: " + this.lastError);
		}
		int ok = 0;
		for (int i = 0; i < views; i++) {
			if (this.http.send(get(path, cookie), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
				ok++;
			}
		}
		return ok;
	}

	private boolean signIn(List<List<Long>> steps) {
		return signIn(steps, new LinkedHashMap<>());
	}

	private boolean signIn(List<List<Long>> steps, Map<String, String> cookie) {
		int user = Math.floorMod(this.nextUser.getAndIncrement(), this.secrets.length);
		try {
			HttpResponse<String> login = timed(steps, 0, get("/login", cookie), cookie);
			if (login.statusCode() != 200) {
				return false;
			}
			HttpResponse<String> password = timed(steps, 1, post("/login", cookie, "username=user" + user
					+ "&password=" + encode(Seeder.PASSWORD) + "&_csrf=" + encode(csrf(login.body()))), cookie);
			if (password.statusCode() != 302 || !password.headers().firstValue("Location").orElse("").endsWith("/verify-2fa")) {
				return false;
			}
			HttpResponse<String> verifyPage = timed(steps, 2, get("/verify-2fa", cookie), cookie);
			String code = TestTotp.code(this.secrets[user], Instant.now());
			HttpResponse<String> verified = timed(steps, 3,
					post("/verify-2fa", cookie, "code=" + code + "&_csrf=" + encode(csrf(verifyPage.body()))), cookie);
			if (verified.statusCode() != 302 || !verified.headers().firstValue("Location").orElse("").endsWith("/")) {
				return false;
			}
			HttpResponse<String> home = timed(steps, 4, get("/", cookie), cookie);
			return home.statusCode() == 200 && home.body().contains("Signed in as user" + user);
		}
		catch (Exception ex) {
			this.lastError = ex.toString();
			return false;
		}
	}

	private HttpResponse<String> timed(List<List<Long>> steps, int step, HttpRequest request, Map<String, String> cookie)
			throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		steps.get(step).add((System.nanoTime() - start) / 1000);
		// Every cookie, as a browser keeps them: the session, and the CSRF token (a cookie, not in the session).
		for (String value : response.headers().allValues("Set-Cookie")) {
			String pair = value.split(";")[0];
			int equals = pair.indexOf('=');
			String name = pair.substring(0, equals);
			if (value.contains("Max-Age=0")) {
				cookie.remove(name);
			}
			else {
				cookie.put(name, pair.substring(equals + 1));
			}
		}
		return response;
	}

	private HttpRequest get(String path, Map<String, String> cookie) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path)).timeout(Duration.ofSeconds(60));
		if (!cookie.isEmpty()) {
			request.header("Cookie", cookieHeader(cookie));
		}
		return request.GET().build();
	}

	private static String cookieHeader(Map<String, String> cookie) {
		return cookie.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining("; "));
	}

	private HttpRequest post(String path, Map<String, String> cookie, String form) {
		return HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(60))
			.header("Cookie", cookieHeader(cookie))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build();
	}

	private static String csrf(String page) {
		Matcher matcher = CSRF.matcher(page);
		if (!matcher.find()) {
			throw new IllegalStateException("no CSRF token");
		}
		return matcher.group(1);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
