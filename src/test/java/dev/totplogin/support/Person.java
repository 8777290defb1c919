package dev.totplogin.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.Cookie;

import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * One person with one browser session, through MockMvc and the real security filter
 * chain: registers, scans the QR code (read back with ZXing), types codes computed by
 * {@link TestTotp}, keeps the recovery codes they were shown.
 */
public final class Person {

	private static int count;

	private final MockMvc mvc;

	private final MutableClock clock;

	private final String username;

	private MockHttpSession session = new MockHttpSession();

	/**
	 * The browser's cookies (the page asked for before sign-in, the CSRF cookie): kept
	 * across sessions.
	 */
	private final Map<String, Cookie> cookies = new LinkedHashMap<>();

	private String secret;

	/** Where this browser's requests come from; MockMvc's 127.0.0.1 if null. */
	private String address;

	private String email;

	private final List<String> recoveryCodes = new ArrayList<>();

	public Person(MockMvc mvc, MutableClock clock) {
		this(mvc, clock, "person" + (++count) + "-" + Long.toHexString(System.nanoTime() & 0xffffff));
	}

	public Person(MockMvc mvc, MutableClock clock, String username) {
		this.mvc = mvc;
		this.clock = clock;
		this.username = username;
	}

	public String username() {
		return this.username;
	}

	public MockHttpSession session() {
		return this.session;
	}

	public String secret() {
		return this.secret;
	}

	public List<String> recoveryCodes() {
		return this.recoveryCodes;
	}

	/** Registered, enrolled and signed in: the state right after sign-up. */
	public Person signedUp() throws Exception {
		register();
		enroll();
		return this;
	}

	public Person register() throws Exception {
		MockHttpServletRequestBuilder request = MockMvcRequestBuilders.post("/register")
			.param("username", this.username)
			.param("password", TestAccounts.PASSWORD)
			.param("confirmPassword", TestAccounts.PASSWORD);
		if (this.email != null) {
			request.param("email", this.email);
		}
		perform(request).andExpect(redirectedUrl("/setup-2fa"));
		return this;
	}

	/** Signs up with this email address (verified only when a test follows its link). */
	public Person withEmail(String email) {
		this.email = email;
		return this;
	}

	public String email() {
		return this.email;
	}

	/**
	 * Scans the QR code, confirms with a code, reads the recovery codes shown once, and
	 * says they are saved.
	 */
	public Person enroll() throws Exception {
		perform(MockMvcRequestBuilders.get("/setup-2fa")).andExpect(status().isOk());
		byte[] png = perform(MockMvcRequestBuilders.get("/setup-2fa/qr.png")).andReturn()
			.getResponse()
			.getContentAsByteArray();
		this.secret = QrCodes.secretOf(QrCodes.decode(png));
		perform(MockMvcRequestBuilders.post("/setup-2fa").param("code", currentCode()))
			.andExpect(redirectedUrl("/recovery-codes"));
		String page = perform(MockMvcRequestBuilders.get("/recovery-codes")).andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		this.recoveryCodes.clear();
		this.recoveryCodes.addAll(TestAccounts.recoveryCodesIn(page));
		perform(MockMvcRequestBuilders.post("/recovery-codes/saved")).andExpect(redirectedUrl("/"));
		return this;
	}

	/** A new session in this browser (its cookies kept) that passes the password step. */
	public ResultActions signIn() throws Exception {
		return signIn(TestAccounts.PASSWORD);
	}

	public ResultActions signIn(String password) throws Exception {
		this.session = new MockHttpSession();
		return perform(
				MockMvcRequestBuilders.post("/login").param("username", this.username).param("password", password));
	}

	/**
	 * Password step and a fresh code (the clock moves on a step, as the previous code's
	 * step is used).
	 */
	public Person signedInAgain() throws Exception {
		this.clock.advance(Duration.ofSeconds(30));
		signIn().andExpect(redirectedUrl("/verify-2fa"));
		code(currentCode()).andExpect(redirectedUrl("/"));
		return this;
	}

	/**
	 * Time passes beyond {@code app.security.fresh-proof} (10 minutes): the code of the
	 * last sign-in no longer counts as fresh proof for an account action.
	 */
	public Person afterFreshProofEnded() {
		this.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
		return this;
	}

	public ResultActions code(String code) throws Exception {
		return perform(MockMvcRequestBuilders.post("/verify-2fa").param("code", code));
	}

	public String currentCode() {
		return TestTotp.code(this.secret, this.clock.instant());
	}

	public String wrongCode() {
		return String.format("%06d", (Integer.parseInt(currentCode()) + 1) % 1_000_000);
	}

	public ResultActions get(String path) throws Exception {
		return perform(MockMvcRequestBuilders.get(path));
	}

	/** A form POST with this session's CSRF token. */
	public ResultActions post(String path, String... nameValuePairs) throws Exception {
		MockHttpServletRequestBuilder request = MockMvcRequestBuilders.post(path);
		for (int i = 0; i + 1 < nameValuePairs.length; i += 2) {
			request.param(nameValuePairs[i], nameValuePairs[i + 1]);
		}
		return perform(request);
	}

	/**
	 * Another browser of the same person (same account, same phone and recovery codes),
	 * with a session and cookies of its own.
	 */
	public Person anotherBrowser() {
		Person other = new Person(this.mvc, this.clock, this.username);
		other.secret = this.secret;
		other.email = this.email;
		other.recoveryCodes.addAll(this.recoveryCodes);
		return other;
	}

	/**
	 * An account-page action that is refused: it redirects back to its section of
	 * {@code /account} (POST-redirect-GET), and this follows to the page that shows the
	 * errors.
	 */
	public ResultActions postRefused(String path, String... nameValuePairs) throws Exception {
		String target = post(path, nameValuePairs).andExpect(status().is3xxRedirection())
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		org.assertj.core.api.Assertions.assertThat(target)
			.as("back to a section of the account page")
			.startsWith("/account#");
		return get("/account");
	}

	/** This browser's requests come from this IP address from now on. */
	public Person from(String address) {
		this.address = address;
		return this;
	}

	/** This browser's cookie of that name, or null. */
	public Cookie cookie(String name) {
		return this.cookies.get(name);
	}

	/** Puts a cookie into this browser, as if it had been set (or copied) there. */
	public void putCookie(Cookie cookie) {
		this.cookies.put(cookie.getName(), cookie);
	}

	/**
	 * Password step then the code page, as a browser follows the redirect: where the code
	 * page sends this browser (a trusted one goes straight on), or null if it shows the
	 * code form.
	 */
	public String signInOnThisBrowser() throws Exception {
		this.clock.advance(Duration.ofSeconds(30));
		signIn().andExpect(redirectedUrl("/verify-2fa"));
		return get("/verify-2fa").andReturn().getResponse().getRedirectedUrl();
	}

	/** Any request, sent from this browser: its session, its cookies and a CSRF token. */
	public ResultActions perform(MockHttpServletRequestBuilder request) throws Exception {
		this.cookies.values().forEach(request::cookie);
		if (this.address != null) {
			String from = this.address;
			request.with((sent) -> {
				sent.setRemoteAddr(from);
				return sent;
			});
		}
		ResultActions result = this.mvc.perform(request.session(this.session).with(csrf()));
		for (Cookie cookie : result.andReturn().getResponse().getCookies()) {
			if (cookie.getMaxAge() == 0) {
				this.cookies.remove(cookie.getName());
			}
			else {
				this.cookies.put(cookie.getName(), cookie);
			}
		}
		return result;
	}

}
