package dev.totplogin.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A minimal browser over real HTTP for tests against a running server: keeps its cookies,
 * follows no redirects, and posts forms with the CSRF token of the page they came from.
 */
public final class HttpBrowser {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final URI base;

	private final CookieManager cookies;

	private final HttpClient client;

	public HttpBrowser(int port) {
		this(URI.create("http://localhost:" + port), new CookieManager(null, CookiePolicy.ACCEPT_ALL));
	}

	private HttpBrowser(URI base, CookieManager cookies) {
		this.base = base;
		this.cookies = cookies;
		this.client = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	/**
	 * The same browser (same cookies) talking to another instance, as behind a load
	 * balancer without stickiness.
	 */
	public HttpBrowser at(int port) {
		return new HttpBrowser(URI.create("http://localhost:" + port), this.cookies);
	}

	public record Page(int status, String location, String body, HttpResponse<byte[]> raw) {

		public String csrfToken() {
			Matcher matcher = CSRF.matcher(this.body);
			if (!matcher.find()) {
				throw new IllegalStateException("no CSRF token on the page");
			}
			return matcher.group(1);
		}

		/**
		 * The redirect target's path, whether the server sent it relative or absolute.
		 */
		public String redirectPath() {
			return (this.location == null) ? null : URI.create(this.location).getPath();
		}

	}

	public Page get(String path) {
		return send(HttpRequest.newBuilder(this.base.resolve(path)).GET().timeout(Duration.ofSeconds(30)).build());
	}

	public byte[] getBytes(String path) {
		return get(path).raw().body();
	}

	/**
	 * Opens {@code formPage}, then posts {@code fields} to {@code action} with that
	 * page's CSRF token.
	 */
	public Page submit(String formPage, String action, Map<String, String> fields) {
		return post(action, fields, get(formPage).csrfToken());
	}

	public Page post(String action, Map<String, String> fields, String csrfToken) {
		Map<String, String> all = new LinkedHashMap<>(fields);
		if (csrfToken != null) {
			all.put("_csrf", csrfToken);
		}
		String body = all.entrySet()
			.stream()
			.map((e) -> encode(e.getKey()) + "=" + encode(e.getValue()))
			.collect(Collectors.joining("&"));
		return send(HttpRequest.newBuilder(this.base.resolve(action))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.timeout(Duration.ofSeconds(30))
			.build());
	}

	/** A JSON POST as our script sends it, the CSRF token in Spring Security's header. */
	public Page postJson(String action, String json, String csrfToken) {
		return send(HttpRequest.newBuilder(this.base.resolve(action))
			.header("Content-Type", "application/json")
			.header("X-XSRF-TOKEN", csrfToken)
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.timeout(Duration.ofSeconds(30))
			.build());
	}

	public Optional<String> sessionId() {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("SESSION"))
			.map(HttpCookie::getValue)
			.findFirst();
	}

	/**
	 * The browser closed and opened again: its session cookie is gone, its other cookies
	 * (a trusted browser's) stay.
	 */
	public void closeAndReopen() {
		this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("SESSION"))
			.toList()
			.forEach((cookie) -> this.cookies.getCookieStore()
				.getURIs()
				.forEach((uri) -> this.cookies.getCookieStore().remove(uri, cookie)));
	}

	/**
	 * Replaces this browser's session cookie, e.g. to replay a cookie saved before
	 * logout.
	 */
	public void useSessionId(String sessionId) {
		this.cookies.getCookieStore().removeAll();
		// As if the server had set it: the same cookie the server's next Set-Cookie
		// replaces.
		try {
			this.cookies.put(this.base, Map.of("Set-Cookie", List.of("SESSION=" + sessionId + "; Path=/")));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Page send(HttpRequest request) {
		request = HttpRequest.newBuilder(request, (name, value) -> true)
			.header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
			.build();
		try {
			HttpResponse<byte[]> response = this.client.send(request, HttpResponse.BodyHandlers.ofByteArray());
			return new Page(response.statusCode(), response.headers().firstValue("Location").orElse(null),
					new String(response.body(), StandardCharsets.UTF_8), response);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Registers and enrolls {@code username}, returning the TOTP secret read from the QR
	 * code.
	 */
	public String registerAndEnroll(String username, Clock clock) {
		return registerAndEnroll(username, null, clock);
	}

	/**
	 * The same, with an email address (its verification mail is the test's to follow).
	 */
	public String registerAndEnroll(String username, String email, Clock clock) {
		Map<String, String> form = new LinkedHashMap<>(Map.of("username", username, "password", TestAccounts.PASSWORD,
				"confirmPassword", TestAccounts.PASSWORD));
		if (email != null) {
			form.put("email", email);
		}
		Page registered = submit("/register", "/register", form);
		assertThat(registered.redirectPath()).as("registration answered %d", registered.status())
			.isEqualTo("/setup-2fa");
		Page setup = get("/setup-2fa");
		String secret = QrCodes.secretOf(QrCodes.decode(getBytes("/setup-2fa/qr.png")));
		Page enrolled = post("/setup-2fa", Map.of("code", TestTotp.code(secret, clock.instant())), setup.csrfToken());
		assertThat(enrolled.redirectPath()).isEqualTo("/recovery-codes");
		return secret;
	}

	/** Reads the recovery codes shown right after enrollment. */
	public List<String> recoveryCodes() {
		return TestAccounts.recoveryCodesIn(get("/recovery-codes").body());
	}

	/** Passes the password step; the browser is then at the code step. */
	public Page passwordStep(String username) {
		return submit("/login", "/login", Map.of("username", username, "password", TestAccounts.PASSWORD));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
