package dev.totplogin;

import jakarta.servlet.http.Cookie;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.TestAccounts;
import java.time.Duration;

import dev.totplogin.support.MutableClock;
import dev.totplogin.support.QrCodes;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The whole sign-up and sign-in journey through the real security filter chain, one
 * browser session at a time. Codes are computed with {@link TestTotp}, from the secret
 * read back out of the served QR code.
 */
@MockMvcAppTest
class SignInFlowTests {

	private static final String PASSWORD = TestAccounts.PASSWORD;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	private int users;

	@Test
	void journeyWhenRegisterEnrollSignOutAndSignInAgainThenHomeEachTime() throws Exception {
		MockHttpSession session = new MockHttpSession();
		String anonymousId = session.getId();
		this.mvc
			.perform(post("/register").session(session)
				.param("username", "Alice.Example")
				.param("password", PASSWORD)
				.param("confirmPassword", PASSWORD)
				.with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/setup-2fa"));
		String passwordStepId = session.getId();
		assertThat(passwordStepId).as("session id rotated at the password step").isNotEqualTo(anonymousId);

		String secret = enroll(session);
		assertThat(session.getId()).as("session id rotated at the code step").isNotEqualTo(passwordStepId);
		this.mvc.perform(get("/").session(session))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("Signed in as Alice.Example")));

		this.mvc.perform(post("/logout").session(session).with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login"));
		assertThat(session.isInvalid()).isTrue();

		this.clock.advance(Duration.ofSeconds(30));
		MockHttpSession second = new MockHttpSession();
		String beforeLogin = second.getId();
		passwordStep(second, "alice.example", PASSWORD).andExpect(redirectedUrl("/verify-2fa"));
		String afterPassword = second.getId();
		assertThat(afterPassword).isNotEqualTo(beforeLogin);
		this.mvc.perform(post("/verify-2fa").session(second).param("code", currentCode(secret)).with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/"));
		assertThat(second.getId()).isNotEqualTo(afterPassword);
		this.mvc.perform(get("/").session(second))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("Signed in as Alice.Example")));
	}

	@Test
	void pendingSessionWhenOpeningAnyOtherPageThenSentToItsCodePage() throws Exception {
		MockHttpSession session = enrolledUserAtCodeStep();
		for (String path : new String[] { "/", "/account", "/login", "/register", "/setup-2fa", "/setup-2fa/qr.png",
				"/anything" }) {
			this.mvc.perform(get(path).session(session))
				.andExpect(status().isFound())
				.andExpect(redirectedUrl("/verify-2fa"));
		}
		this.mvc.perform(get("/verify-2fa").session(session)).andExpect(status().isOk());
		this.mvc.perform(get("/webjars/bootstrap/css/bootstrap.min.css").session(session)).andExpect(status().isOk());
	}

	@Test
	void pendingSessionWhenNotYetEnrolledThenOnlySetupIsReachable() throws Exception {
		MockHttpSession session = register(newUsername());
		this.mvc.perform(get("/").session(session)).andExpect(redirectedUrl("/setup-2fa"));
		this.mvc.perform(get("/verify-2fa").session(session)).andExpect(redirectedUrl("/setup-2fa"));
		this.mvc.perform(post("/verify-2fa").session(session).param("code", "123456").with(csrf()))
			.andExpect(redirectedUrl("/setup-2fa"));
	}

	@Test
	void codeStepWhenWrongCodeThenRefusedWithMessageAndStillPending() throws Exception {
		MockHttpSession session = enrolledUserAtCodeStep();
		this.mvc.perform(post("/verify-2fa").session(session).param("code", "000001").with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("That code didn")));
		this.mvc.perform(get("/").session(session)).andExpect(redirectedUrl("/verify-2fa"));
	}

	@Test
	void codeStepWhenCodeAlreadyUsedThenRefused() throws Exception {
		String username = newUsername();
		MockHttpSession first = register(username);
		String secret = enroll(first);
		this.clock.advance(Duration.ofSeconds(30));
		String code = currentCode(secret);

		MockHttpSession second = loggedInAtCodeStep(username);
		this.mvc.perform(post("/verify-2fa").session(second).param("code", code).with(csrf()))
			.andExpect(redirectedUrl("/"));

		MockHttpSession third = loggedInAtCodeStep(username);
		this.mvc.perform(post("/verify-2fa").session(third).param("code", code).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("already been used")));
		this.mvc.perform(get("/").session(third)).andExpect(redirectedUrl("/verify-2fa"));
	}

	@Test
	void codeStepWhenSameCodeAsEnrollmentThenRefusedAsReplay() throws Exception {
		String username = newUsername();
		MockHttpSession first = register(username);
		String secret = enroll(first);
		MockHttpSession second = loggedInAtCodeStep(username);
		this.mvc.perform(post("/verify-2fa").session(second).param("code", currentCode(secret)).with(csrf()))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("already been used")));
	}

	@Test
	void codeStepWhenCodeTypedWithSpaceThenAccepted() throws Exception {
		String username = newUsername();
		String secret = enroll(register(username));
		this.clock.advance(Duration.ofSeconds(30));
		String code = currentCode(secret);
		MockHttpSession session = loggedInAtCodeStep(username);
		this.mvc
			.perform(post("/verify-2fa").session(session)
				.param("code", code.substring(0, 3) + " " + code.substring(3))
				.with(csrf()))
			.andExpect(redirectedUrl("/"));
	}

	@Test
	void pendingSessionWhenOlderThanFiveMinutesThenEndedAndSentToLogin() throws Exception {
		MockHttpSession session = enrolledUserAtCodeStep();
		this.clock.advance(Duration.ofMinutes(4).plusSeconds(59));
		this.mvc.perform(get("/verify-2fa").session(session)).andExpect(status().isOk());
		this.clock.advance(Duration.ofSeconds(1));
		this.mvc.perform(get("/verify-2fa").session(session)).andExpect(redirectedUrl("/login"));
		assertThat(session.isInvalid()).isTrue();
	}

	@Test
	void setupPageWhenReloadedThenSameSecretUntilEnrolled() throws Exception {
		MockHttpSession session = register(newUsername());
		String first = QrCodes.decode(qrCode(session));
		String second = QrCodes.decode(qrCode(session));
		assertThat(second).isEqualTo(first);
		String page = this.mvc.perform(get("/setup-2fa").session(session))
			.andExpect(header().string("Cache-Control", org.hamcrest.Matchers.containsString("no-store")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		String grouped = String.join(" ", QrCodes.secretOf(first).split("(?<=\\G.{4})"));
		assertThat(page.replaceAll("<[^>]+>", "")).contains(grouped);
	}

	@Test
	void qrCodeWhenServedThenPngOfTheOtpauthUriNotCached() throws Exception {
		String username = newUsername();
		MockHttpSession session = register(username);
		MvcResult result = this.mvc.perform(get("/setup-2fa/qr.png").session(session))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Type", "image/png"))
			.andExpect(header().string("Cache-Control", org.hamcrest.Matchers.containsString("no-store")))
			.andReturn();
		String uri = QrCodes.decode(result.getResponse().getContentAsByteArray());
		assertThat(uri).matches("otpauth://totp/TOTP%20Login:" + username
				+ "\\?secret=[A-Z2-7]{32}&issuer=TOTP%20Login&algorithm=SHA1&digits=6&period=30");
	}

	@Test
	void anonymousWhenOpeningProtectedPagesThenSentToLogin() throws Exception {
		for (String path : new String[] { "/", "/setup-2fa", "/verify-2fa", "/setup-2fa/qr.png" }) {
			this.mvc.perform(get(path)).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
		}
	}

	@Test
	void codeFormWhenPostedWithoutPasswordStepThenRefused() throws Exception {
		this.mvc.perform(post("/verify-2fa").param("code", "123456").with(csrf())).andExpect(redirectedUrl("/login"));
	}

	@Test
	void formsWhenPostedWithoutCsrfTokenThenForbidden() throws Exception {
		this.mvc.perform(post("/login").param("username", "x").param("password", PASSWORD))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/register").param("username", "xyz").param("password", PASSWORD))
			.andExpect(status().isForbidden());
		MockHttpSession session = enrolledUserAtCodeStep();
		this.mvc.perform(post("/verify-2fa").session(session).param("code", "123456"))
			.andExpect(status().isForbidden());
	}

	@Test
	void loginWhenUnknownUserOrWrongPasswordThenSameAnswer() throws Exception {
		String username = newUsername();
		enroll(register(username));
		MockHttpSession wrongPassword = new MockHttpSession();
		passwordStep(wrongPassword, username, "not the right password").andExpect(redirectedUrl("/login"));
		MockHttpSession unknownUser = new MockHttpSession();
		passwordStep(unknownUser, "nobody-" + username, PASSWORD).andExpect(redirectedUrl("/login"));
		String first = loginPageText(wrongPassword).replace(username, "USER");
		String second = loginPageText(unknownUser).replace("nobody-" + username, "USER");
		assertThat(first).contains("don&#39;t match").isEqualTo(second);
	}

	@Test
	void signInWhenAPageWasAskedForFirstThenReturnsThere() throws Exception {
		String username = newUsername();
		String secret = enroll(register(username));
		this.clock.advance(Duration.ofSeconds(30));
		MockHttpSession session = new MockHttpSession();
		Cookie savedRequest = this.mvc.perform(get("/?tab=1").session(session))
			.andExpect(redirectedUrl("/login"))
			.andReturn()
			.getResponse()
			.getCookie("REDIRECT_URI");
		assertThat(savedRequest).as("the page asked for is kept in a cookie, not in a session").isNotNull();
		passwordStep(session, username, PASSWORD).andExpect(redirectedUrl("/verify-2fa"));
		this.mvc
			.perform(post("/verify-2fa").session(session)
				.cookie(savedRequest)
				.param("code", currentCode(secret))
				.with(csrf()))
			.andExpect(redirectedUrl("/?tab=1"));
	}

	@Test
	void fullySignedInWhenOpeningCodePagesThenSentHome() throws Exception {
		MockHttpSession session = register(newUsername());
		enroll(session);
		this.mvc.perform(get("/verify-2fa").session(session)).andExpect(redirectedUrl("/"));
		this.mvc.perform(get("/setup-2fa").session(session)).andExpect(redirectedUrl("/"));
		this.mvc.perform(get("/login").session(session)).andExpect(redirectedUrl("/"));
	}

	private String newUsername() {
		return "user" + (++this.users) + "-" + Long.toHexString(System.nanoTime());
	}

	private MockHttpSession register(String username) throws Exception {
		MockHttpSession session = new MockHttpSession();
		this.mvc
			.perform(post("/register").session(session)
				.param("username", username)
				.param("password", PASSWORD)
				.param("confirmPassword", PASSWORD)
				.with(csrf()))
			.andExpect(redirectedUrl("/setup-2fa"));
		return session;
	}

	/**
	 * Enrolls the session's account like a person with a phone: scan the QR code, type
	 * the code.
	 */
	private String enroll(MockHttpSession session) throws Exception {
		this.mvc.perform(get("/setup-2fa").session(session)).andExpect(status().isOk());
		String secret = QrCodes.secretOf(QrCodes.decode(qrCode(session)));
		this.mvc.perform(post("/setup-2fa").session(session).param("code", currentCode(secret)).with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/recovery-codes"));
		return secret;
	}

	private byte[] qrCode(MockHttpSession session) throws Exception {
		return this.mvc.perform(get("/setup-2fa/qr.png").session(session))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsByteArray();
	}

	private MockHttpSession enrolledUserAtCodeStep() throws Exception {
		String username = newUsername();
		enroll(register(username));
		return loggedInAtCodeStep(username);
	}

	private MockHttpSession loggedInAtCodeStep(String username) throws Exception {
		MockHttpSession session = new MockHttpSession();
		passwordStep(session, username, PASSWORD).andExpect(redirectedUrl("/verify-2fa"));
		return session;
	}

	private org.springframework.test.web.servlet.ResultActions passwordStep(MockHttpSession session, String username,
			String password) throws Exception {
		return this.mvc.perform(
				post("/login").session(session).param("username", username).param("password", password).with(csrf()))
			.andExpect(status().isFound());
	}

	private String loginPageText(MockHttpSession session) throws Exception {
		return this.mvc.perform(get("/login").session(session))
			.andReturn()
			.getResponse()
			.getContentAsString()
			.replaceAll("name=\"_csrf\" value=\"[^\"]*\"", "");
	}

	private String currentCode(String secret) {
		return TestTotp.code(secret, this.clock.instant());
	}

}
