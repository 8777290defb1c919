package dev.totplogin.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.totplogin.support.TestTotp;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keycloak's side of the benchmark: its realm, its users (enrolled in TOTP by signing in, as a person would), and
 * virtual users signing in the whole way, as {@link LoadDriver} does for ours. A Keycloak login: GET the authorization
 * endpoint (the sign-in page), POST username and password (answered with the OTP page), POST the code (answered with a
 * 302 to the client's redirect URI carrying {@code code=}); anything else is an error.
 */
final class KeycloakDriver {

	static final String REALM = "bench";

	static final String CLIENT = "bench";

	/** Nothing listens there: the login ends with Keycloak's 302 to it. */
	static final String REDIRECT_URI = "http://localhost:18199/callback";

	static final String[] STEPS = { "GET auth (sign-in page)", "POST password (OTP page)", "POST code (302 with code)" };

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.executor(Executors.newFixedThreadPool(8, (task) -> {
			Thread thread = new Thread(task);
			thread.setDaemon(true);
			return thread;
		}))
		.build();

	private final KeycloakServer server;

	private final int users;

	/** Each user's Base32 secret, read from the CONFIGURE_TOTP page at enrolment. */
	private final String[] secrets;

	/** The last TOTP step each user's code was used in: Keycloak refuses a code twice. */
	private final AtomicLongArray lastStep;

	private final AtomicInteger nextUser = new AtomicInteger();

	volatile String lastError;

	KeycloakDriver(KeycloakServer server, int users) {
		this.server = server;
		this.users = users;
		this.secrets = new String[users];
		this.lastStep = new AtomicLongArray(users);
	}

	/** What the realm runs with, as its admin API tells. */
	record Realm(String passwordPolicy, String hashing, String otpPolicy, String userRequiredActions) {
	}

	/**
	 * Realm {@value #REALM}: brute-force detection off (as our budgets never lock a benchmark user), CONFIGURE_TOTP a
	 * default required action (every user sets up OTP at the first sign-in; the browser flow's conditional OTP step
	 * asks for it from then on), a public client with the redirect URI. One user is created with a plain password, so
	 * that Keycloak hashes it with its own defaults; the others get a copy of a hash made with those parameters (read
	 * back from that user's credential), as our seeded accounts get one copied hash.
	 */
	Realm createRealm() throws Exception {
		admin("POST", "/admin/realms", Map.of("realm", REALM, "enabled", true, "bruteForceProtected", false));
		admin("PUT", "/admin/realms/" + REALM + "/authentication/required-actions/CONFIGURE_TOTP",
				Map.of("alias", "CONFIGURE_TOTP", "name", "Configure OTP", "providerId", "CONFIGURE_TOTP", "enabled", true,
						"defaultAction", true, "priority", 10, "config", Map.of()));
		admin("POST", "/admin/realms/" + REALM + "/clients", Map.of("clientId", CLIENT, "publicClient", true,
				"standardFlowEnabled", true, "redirectUris", List.of(REDIRECT_URI)));
		admin("POST", "/admin/realms/" + REALM + "/users", user("user0", Map.of("type", "password", "value",
				Seeder.PASSWORD, "temporary", false)));
		Map<?, ?> user0 = (Map<?, ?>) ((List<?>) admin("GET",
				"/admin/realms/" + REALM + "/users?exact=true&username=user0", null)).get(0);
		List<?> credentials = (List<?>) admin("GET", "/admin/realms/" + REALM + "/users/" + user0.get("id") + "/credentials",
				null);
		String credentialData = (String) ((Map<?, ?>) credentials.get(0)).get("credentialData");
		Map<?, ?> data = json.readValue(credentialData, Map.class);
		Map<?, ?> realm = (Map<?, ?>) admin("GET", "/admin/realms/" + REALM, null);
		List<Map<String, Object>> others = new ArrayList<>();
		String secretData = hashLike(data);
		for (int i = 1; i < this.users; i++) {
			others.add(user("user" + i, Map.of("type", "password", "secretData", secretData, "credentialData",
					credentialData)));
		}
		admin("POST", "/admin/realms/" + REALM + "/partialImport", Map.of("ifResourceExists", "FAIL", "users", others));
		Map<?, ?> last = (Map<?, ?>) ((List<?>) admin("GET",
				"/admin/realms/" + REALM + "/users?exact=true&username=user" + (this.users - 1), null)).get(0);
		return new Realm(String.valueOf(realm.get("passwordPolicy")), credentialData,
				realm.get("otpPolicyType") + " " + realm.get("otpPolicyAlgorithm") + ", " + realm.get("otpPolicyDigits")
						+ " digits, " + realm.get("otpPolicyPeriod") + " s, look-ahead " + realm.get("otpPolicyLookAheadWindow")
						+ ", reusable " + realm.get("otpPolicyCodeReusable"),
				"user0 " + user0.get("requiredActions") + ", user" + (this.users - 1) + " " + last.get("requiredActions"));
	}

	private static Map<String, Object> user(String name, Map<String, Object> credential) {
		Map<String, Object> user = new LinkedHashMap<>();
		user.put("username", name);
		user.put("enabled", true);
		// Keycloak's user profile asks for these at the first sign-in otherwise.
		user.put("email", name + "@bench.test");
		user.put("emailVerified", true);
		user.put("firstName", "Bench");
		user.put("lastName", name);
		user.put("requiredActions", List.of("CONFIGURE_TOTP"));
		user.put("credentials", List.of(credential));
		return user;
	}

	/** Keycloak's Argon2 secret data (Base64 hash and salt) of the bench password, with the parameters given. */
	private static String hashLike(Map<?, ?> credentialData) {
		Map<?, ?> parameters = (Map<?, ?>) credentialData.get("additionalParameters");
		if (!"argon2".equals(credentialData.get("algorithm")) || !"id".equals(first(parameters, "type"))) {
			throw new IllegalStateException("Keycloak hashes with something else than Argon2id: " + credentialData);
		}
		byte[] salt = new byte[16];
		new SecureRandom().nextBytes(salt);
		Argon2BytesGenerator generator = new Argon2BytesGenerator();
		generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
			.withVersion("1.3".equals(first(parameters, "version")) ? Argon2Parameters.ARGON2_VERSION_13
					: Argon2Parameters.ARGON2_VERSION_10)
			.withIterations(((Number) credentialData.get("hashIterations")).intValue())
			.withMemoryAsKB(Integer.parseInt(first(parameters, "memory")))
			.withParallelism(Integer.parseInt(first(parameters, "parallelism")))
			.withSalt(salt)
			.build());
		byte[] hash = new byte[Integer.parseInt(first(parameters, "hashLength"))];
		generator.generateBytes(Seeder.PASSWORD.getBytes(StandardCharsets.UTF_8), hash);
		return json.writeValueAsString(Map.of("value", Base64.getEncoder().encodeToString(hash), "salt",
				Base64.getEncoder().encodeToString(salt), "additionalParameters", Map.of()));
	}

	private static String first(Map<?, ?> parameters, String name) {
		return (String) ((List<?>) parameters.get(name)).get(0);
	}

	private Object admin(String method, String path, Object body) throws Exception {
		String token = (String) ((Map<?, ?>) json.readValue(this.http
			.send(HttpRequest.newBuilder(URI.create(this.server.base + "/realms/master/protocol/openid-connect/token"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username="
						+ KeycloakServer.ADMIN + "&password=" + encode(KeycloakServer.ADMIN_PASSWORD)))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body(), Map.class)).get("access_token");
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.server.base + path))
			.timeout(Duration.ofMinutes(2))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json");
		request.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))
				: HttpRequest.BodyPublishers.noBody());
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
		}
		return response.body().isBlank() ? null : json.readValue(response.body(), Object.class);
	}

	/**
	 * Every user's first sign-in, {@code concurrency} at once: the password, then the CONFIGURE_TOTP page in its
	 * manual-entry mode (the secret as text), a code computed from it, submitted.
	 * @return how many were enrolled
	 */
	int enrol(int concurrency) throws Exception {
		AtomicInteger next = new AtomicInteger();
		AtomicInteger enrolled = new AtomicInteger();
		ExecutorService workers = Executors.newFixedThreadPool(concurrency);
		List<Future<?>> running = new ArrayList<>();
		for (int i = 0; i < concurrency; i++) {
			running.add(workers.submit(() -> {
				for (int user = next.getAndIncrement(); user < this.users; user = next.getAndIncrement()) {
					enrolOne(user);
					enrolled.incrementAndGet();
				}
				return null;
			}));
		}
		for (Future<?> worker : running) {
			worker.get();
		}
		workers.shutdown();
		return enrolled.get();
	}

	private void enrolOne(int user) throws Exception {
		Map<String, String> cookies = new LinkedHashMap<>();
		HttpResponse<String> page = send(get(authorizationUrl(), cookies), cookies);
		HttpResponse<String> password = send(post(formAction(page.body(), "kc-form-login"), cookies,
				"username=user" + user + "&password=" + encode(Seeder.PASSWORD) + "&credentialId="), cookies);
		String location = password.headers().firstValue("Location").orElse("");
		if (password.statusCode() != 302 || !location.contains("execution=CONFIGURE_TOTP")) {
			throw new IllegalStateException("user" + user + ": no CONFIGURE_TOTP after the password, "
					+ password.statusCode() + " " + location);
		}
		HttpResponse<String> setup = send(get(location, cookies), cookies);
		HttpResponse<String> manual = send(get(unescape(attribute(setup.body(), "id=\"mode-manual\"", "href")), cookies),
				cookies);
		String secret = text(manual.body(), "kc-totp-secret-key").replace(" ", "");
		long step = TestTotp.step(Instant.now());
		HttpResponse<String> done = send(post(formAction(manual.body(), "kc-totp-settings-form"), cookies,
				"totp=" + TestTotp.code(secret, Instant.now()) + "&totpSecret="
						+ encode(attribute(manual.body(), "id=\"totpSecret\"", "value")) + "&mode=manual&userLabel=bench"),
				cookies);
		if (!redirectedWithCode(done)) {
			throw new IllegalStateException("user" + user + ": OTP set-up not accepted, " + done.statusCode());
		}
		this.secrets[user] = secret;
		this.lastStep.set(user, step);
	}

	/** {@code concurrency} virtual users for {@code duration}, as {@link LoadDriver#run}. */
	LoadDriver.Result run(int concurrency, Duration duration) throws Exception {
		List<List<Long>> steps = new ArrayList<>();
		for (int i = 0; i < STEPS.length; i++) {
			steps.add(Collections.synchronizedList(new ArrayList<>()));
		}
		List<Long> whole = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger logins = new AtomicInteger();
		AtomicInteger errors = new AtomicInteger();
		ExecutorService workers = Executors.newFixedThreadPool(concurrency);
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		List<Future<?>> running = new ArrayList<>();
		for (int i = 0; i < concurrency; i++) {
			running.add(workers.submit(() -> {
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
		for (Future<?> worker : running) {
			worker.get();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		workers.shutdown();
		return new LoadDriver.Result(concurrency, logins.get(), errors.get(), seconds, steps, whole);
	}

	private boolean signIn(List<List<Long>> steps) {
		int user = Math.floorMod(this.nextUser.getAndIncrement(), this.users);
		Map<String, String> cookies = new LinkedHashMap<>();
		try {
			HttpResponse<String> page = timed(steps, 0, get(authorizationUrl(), cookies), cookies);
			if (page.statusCode() != 200) {
				this.lastError = "sign-in page " + page.statusCode();
				return false;
			}
			HttpResponse<String> otpPage = timed(steps, 1, post(formAction(page.body(), "kc-form-login"), cookies,
					"username=user" + user + "&password=" + encode(Seeder.PASSWORD) + "&credentialId="), cookies);
			if (otpPage.statusCode() != 200 || !otpPage.body().contains("kc-otp-login-form")) {
				this.lastError = "no OTP page after the password: " + otpPage.statusCode();
				return false;
			}
			Instant now = Instant.now();
			long step = TestTotp.step(now);
			if (this.lastStep.getAndSet(user, step) >= step) {
				this.lastError = "user" + user + " twice in one 30-s step: more users needed";
				return false;
			}
			HttpResponse<String> done = timed(steps, 2, post(formAction(otpPage.body(), "kc-otp-login-form"), cookies,
					"otp=" + TestTotp.code(this.secrets[user], now) + "&login=Sign+In"), cookies);
			if (!redirectedWithCode(done)) {
				this.lastError = "code not accepted: " + done.statusCode() + " "
						+ done.headers().firstValue("Location").orElse("");
				return false;
			}
			return true;
		}
		catch (Exception ex) {
			this.lastError = ex.toString();
			return false;
		}
	}

	/**
	 * Keycloak's hash, the nearest a black box allows: {@code threads} clients each POST a wrong password for existing
	 * users {@code checks} times (each answered with the sign-in page again, whose form the next POST uses), the java
	 * process's CPU read around the POSTs. One Argon2 check plus the handling of a form POST and its page each.
	 */
	BenchmarkRun.HashCost wrongPasswords(int threads, int checks) throws Exception {
		ExecutorService workers = Executors.newFixedThreadPool(threads);
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<Integer>> running = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			running.add(workers.submit(() -> {
				Map<String, String> cookies = new LinkedHashMap<>();
				String page = send(get(authorizationUrl(), cookies), cookies).body();
				ready.countDown();
				go.await();
				int refused = 0;
				for (int i = 0; i < checks; i++) {
					int user = Math.floorMod(this.nextUser.getAndIncrement(), this.users);
					HttpResponse<String> answer = send(post(formAction(page, "kc-form-login"), cookies,
							"username=user" + user + "&password=wrong+" + encode(Seeder.PASSWORD) + "&credentialId="),
							cookies);
					page = answer.body();
					if (answer.statusCode() == 200 && page.contains("kc-form-login") && page.contains("input-error")) {
						refused++;
					}
				}
				return refused;
			}));
		}
		ready.await();
		BenchServer.CpuReading cpuBefore = this.server.cpu();
		long start = System.nanoTime();
		go.countDown();
		int refused = 0;
		for (Future<Integer> worker : running) {
			refused += worker.get();
		}
		double wallMs = (System.nanoTime() - start) / 1e6;
		double cpuMs = this.server.cpu().since(cpuBefore, "") * 1000;
		workers.shutdown();
		if (refused != threads * checks) {
			throw new IllegalStateException("wrong passwords: " + refused + " of " + threads * checks
					+ " answered with the sign-in page and its error");
		}
		return new BenchmarkRun.HashCost(wallMs / checks, cpuMs / (threads * checks), Double.NaN);
	}

	private String authorizationUrl() {
		return this.server.base + "/realms/" + REALM + "/protocol/openid-connect/auth?client_id=" + CLIENT
				+ "&response_type=code&scope=openid&state=bench&redirect_uri=" + encode(REDIRECT_URI);
	}

	private static boolean redirectedWithCode(HttpResponse<String> response) {
		String location = response.headers().firstValue("Location").orElse("");
		return response.statusCode() == 302 && location.startsWith(REDIRECT_URI) && location.contains("code=");
	}

	/** The action of the form with this id, unescaped. */
	private static String formAction(String page, String formId) {
		return unescape(attribute(page, "id=\"" + formId + "\"", "action"));
	}

	private static final Pattern TAG = Pattern.compile("<[a-z]+\\s[^>]*>");

	/** An attribute of the first tag containing {@code marker}. */
	private static String attribute(String page, String marker, String name) {
		Matcher tags = TAG.matcher(page);
		while (tags.find()) {
			String tag = tags.group();
			if (tag.contains(marker)) {
				Matcher value = Pattern.compile("\\s" + name + "=\"([^\"]*)\"").matcher(tag);
				if (value.find()) {
					return value.group(1);
				}
			}
		}
		throw new IllegalStateException("no " + name + " on a tag with " + marker);
	}

	/** The text of the element with this id. */
	private static String text(String page, String id) {
		Matcher matcher = Pattern.compile("id=\"" + id + "\">([^<]*)<").matcher(page);
		if (!matcher.find()) {
			throw new IllegalStateException("no element " + id);
		}
		return matcher.group(1).strip();
	}

	private static String unescape(String html) {
		return html.replace("&amp;", "&").replace("&#61;", "=").replace("&quot;", "\"");
	}

	private HttpResponse<String> timed(List<List<Long>> steps, int step, HttpRequest request,
			Map<String, String> cookies) throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = send(request, cookies);
		steps.get(step).add((System.nanoTime() - start) / 1000);
		return response;
	}

	/** Sends, keeping every cookie as a browser would. */
	private HttpResponse<String> send(HttpRequest request, Map<String, String> cookies) throws Exception {
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		for (String value : response.headers().allValues("Set-Cookie")) {
			String pair = value.split(";")[0];
			int equals = pair.indexOf('=');
			String name = pair.substring(0, equals);
			if (value.contains("Max-Age=0")) {
				cookies.remove(name);
			}
			else {
				cookies.put(name, pair.substring(equals + 1));
			}
		}
		return response;
	}

	private static HttpRequest get(String url, Map<String, String> cookies) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
		if (!cookies.isEmpty()) {
			request.header("Cookie", cookieHeader(cookies));
		}
		return request.GET().build();
	}

	private static HttpRequest post(String url, Map<String, String> cookies, String form) {
		return HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(60))
			.header("Cookie", cookieHeader(cookies))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build();
	}

	private static String cookieHeader(Map<String, String> cookies) {
		return cookies.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining("; "));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
