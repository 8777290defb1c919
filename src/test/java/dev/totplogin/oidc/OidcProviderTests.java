package dev.totplogin.oidc;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.totplogin.security.Assurance;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The OpenID Connect provider over MockMvc: the code flow with PKCE for a signed-in
 * session, the claims, what a client may ask ({@code max_age}, {@code prompt},
 * {@code acr_values}), and hostile requests. The real clients (Apache mod_auth_openidc, a
 * Spring {@code oauth2Login} application) are in the {@code *IT} tests.
 */
@MockMvcAppTest
@TestPropertySource(properties = { "app.base-url=http://login.example.test",
		"app.oidc.clients.web.secret=web-secret-0123456789abcdef",
		"app.oidc.clients.web.redirect-uris=http://app.example.test/callback",
		"app.oidc.clients.web.post-logout-redirect-uris=http://app.example.test/signed-out",
		"app.oidc.clients.web.backchannel-logout-uri=http://127.0.0.1:9/backchannel",
		"app.oidc.clients.spa.redirect-uris=http://spa.example.test/callback", "app.oidc.clients.spa.scopes=openid" })
class OidcProviderTests {

	private static final String REDIRECT = "http://app.example.test/callback";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private ClientSessions clientSessions;

	@Autowired
	private dev.totplogin.admin.AccountAdministration administration;

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void discoveryWhenReadThenIssuerFromConfigurationPkceS256AndOurLevels() throws Exception {
		Map<?, ?> metadata = json(this.mvc
			.perform(MockMvcRequestBuilders.get("/.well-known/openid-configuration")
				.header(HttpHeaders.HOST, "evil.example.test"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse());
		assertThat(metadata.get("issuer")).isEqualTo("http://login.example.test");
		assertThat(metadata.get("authorization_endpoint")).isEqualTo("http://login.example.test/oauth2/authorize");
		assertThat((List<Object>) metadata.get("code_challenge_methods_supported")).containsExactly("S256");
		assertThat((List<Object>) metadata.get("acr_values_supported")).containsExactly(Assurance.AAL1, Assurance.AAL2);
		assertThat(metadata.get("end_session_endpoint")).isEqualTo("http://login.example.test/connect/logout");
		assertThat(metadata.get("backchannel_logout_supported")).isEqualTo(true);
		assertThat(metadata.containsKey("registration_endpoint")).isFalse();
	}

	@Test
	void codeFlowWhenSignedInWithCodeThenSignedIdTokenWithAmrAcrAndOpaqueSubject() throws Exception {
		Person person = new Person(this.mvc, this.clock).withEmail("oidc-person@example.test").signedUp();
		Pkce pkce = new Pkce();
		String code = codeFrom(open(person, authorize("web", pkce, "")).andReturn().getResponse());
		Map<?, ?> tokens = token("web", code, pkce.verifier);
		SignedJWT idToken = verified((String) tokens.get("id_token"));
		Map<String, Object> claims = idToken.getJWTClaimsSet().getClaims();
		assertThat(claims.get("iss")).isEqualTo("http://login.example.test");
		assertThat(claims.get("sub")).isNotEqualTo(person.username());
		assertThat((String) claims.get("sub")).hasSize(36);
		assertThat(claims.get("preferred_username")).isEqualTo(person.username());
		assertThat((List<Object>) claims.get("amr")).containsExactly("pwd", "otp", "mfa");
		assertThat(claims.get("acr")).isEqualTo(Assurance.AAL2);
		assertThat(claims.get("nonce")).isEqualTo("n-1");
		assertThat(claims).containsKeys("auth_time", "sid");
		assertThat(claims.get("email")).isEqualTo("oidc-person@example.test");
		assertThat(claims.get("email_verified")).isEqualTo(false);

		Map<?, ?> userInfo = json(this.mvc
			.perform(MockMvcRequestBuilders.get("/userinfo")
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get("access_token")))
			.andDo((result) -> assertThat(result.getResponse().getStatus())
				.as(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE))
				.isEqualTo(200))
			.andReturn()
			.getResponse());
		assertThat(userInfo.get("sub")).isEqualTo(claims.get("sub"));

		String again = codeFrom(open(person, authorize("web", new Pkce(), "")).andReturn().getResponse());
		assertThat(again).isNotEqualTo(code);
	}

	@Test
	void pagesWhenClientsConfiguredThenFormsMayRedirectToTheirOriginsOnly() throws Exception {
		String policy = this.mvc.perform(MockMvcRequestBuilders.get("/login"))
			.andReturn()
			.getResponse()
			.getHeader("Content-Security-Policy");
		// Chromium applies form-action to the redirects after the code step's post.
		assertThat(policy).endsWith("form-action 'self' http://app.example.test http://spa.example.test")
			.doesNotContain("evil");
	}

	@Test
	void authorizeWhenNotSignedInOrPendingThenTheSignInPagesAndNoCode() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		Person stranger = new Person(this.mvc, this.clock);
		assertThat(open(stranger, authorize("web", new Pkce(), "")).andReturn().getResponse().getRedirectedUrl())
			.isEqualTo("/login");
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn();
		assertThat(open(person, authorize("web", new Pkce(), "")).andReturn().getResponse().getRedirectedUrl())
			.isEqualTo("/verify-2fa");
		String back = person.code(person.currentCode()).andReturn().getResponse().getRedirectedUrl();
		assertThat(back).startsWith("/oauth2/authorize?");
		assertThat(codeFrom(open(person, back).andReturn().getResponse())).isNotBlank();
	}

	@Test
	void authorizeWhenPromptNoneAndNotSignedInThenLoginRequiredAtTheClient() throws Exception {
		String location = open(new Person(this.mvc, this.clock), authorize("web", new Pkce(), "&prompt=none"))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		assertThat(location).startsWith(REDIRECT + "?error=login_required").contains("state=s-1");
	}

	@Test
	void authorizeWhenMaxAgeZeroOrPromptLoginThenThePasswordAgainThenACode() throws Exception {
		for (String asked : List.of("&max_age=0", "&prompt=login")) {
			Person person = new Person(this.mvc, this.clock).signedUp();
			this.clock.advance(Duration.ofSeconds(5));
			MockHttpServletResponse response = open(person, authorize("web", new Pkce(), asked)).andReturn()
				.getResponse();
			assertThat(response.getRedirectedUrl()).as(asked).isEqualTo("/login");
			assertThat(person.get("/login").andReturn().getResponse().getStatus()).as("the form, though signed in")
				.isEqualTo(200);
			assertThat(person.get("/account").andReturn().getResponse().getStatus())
				.as("still signed in until the new password: a link cannot sign anyone out")
				.isEqualTo(200);
			this.clock.advance(Duration.ofSeconds(30));
			person.perform(MockMvcRequestBuilders.post("/login")
				.param("username", person.username())
				.param("password", dev.totplogin.support.TestAccounts.PASSWORD));
			String back = person.code(person.currentCode()).andReturn().getResponse().getRedirectedUrl();
			assertThat(back).as(asked).startsWith("/oauth2/authorize?").contains(asked.substring(1));
			assertThat(codeFrom(open(person, back).andReturn().getResponse())).as(asked).isNotBlank();
		}
	}

	@Test
	void authorizeWhenMaxAgeLongerThanTheSignInThenCodeWithoutAskingAgain() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(60));
		assertThat(codeFrom(open(person, authorize("web", new Pkce(), "&max_age=3600")).andReturn().getResponse()))
			.isNotBlank();
	}

	@Test
	void authorizeWhenPromptLoginAndAal2OnATrustedBrowserThenTheCodeIsAskedToo() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn();
		person.post("/verify-2fa", "code", person.currentCode(), "rememberBrowser", "true");
		Pkce pkce = new Pkce();
		String asked = "&prompt=login&acr_values=" + Assurance.AAL2;
		assertThat(open(person, authorize("web", pkce, asked)).andReturn().getResponse().getRedirectedUrl())
			.isEqualTo("/login");
		this.clock.advance(Duration.ofSeconds(30));
		person.perform(MockMvcRequestBuilders.post("/login")
			.param("username", person.username())
			.param("password", dev.totplogin.support.TestAccounts.PASSWORD));
		assertThat(person.get("/verify-2fa").andExpect(status().isOk()).andReturn().getResponse().getContentAsString())
			.as("the code form, though the browser is trusted")
			.contains("name=\"code\"");
		String back = person.code(person.currentCode()).andReturn().getResponse().getRedirectedUrl();
		Map<String, Object> claims = verified(
				(String) token("web", codeFrom(open(person, back).andReturn().getResponse()), pkce.verifier)
					.get("id_token"))
			.getJWTClaimsSet()
			.getClaims();
		assertThat(claims.get("acr")).isEqualTo(Assurance.AAL2);
	}

	@Test
	void authorizeWhenMaxAgeZeroWhilePendingThenOneSignInAnswersIt() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn();
		Pkce pkce = new Pkce();
		assertThat(open(person, authorize("web", pkce, "&max_age=0")).andReturn().getResponse().getRedirectedUrl())
			.isEqualTo("/verify-2fa");
		String back = person.code(person.currentCode()).andReturn().getResponse().getRedirectedUrl();
		assertThat(codeFrom(open(person, back).andReturn().getResponse())).isNotBlank();
		assertThat(codeFrom(open(person, authorize("web", new Pkce(), "")).andReturn().getResponse()))
			.as("the same request again later, without max_age: a code")
			.isNotBlank();
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(open(person, back).andReturn().getResponse().getRedirectedUrl())
			.as("that sign-in answered max_age=0 once: the same request again asks again")
			.isEqualTo("/login");
	}

	@Test
	void authorizeWhenAal2AskedOnATrustedBrowserThenTheCodeIsAskedAndTheTokenSaysAal2() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn();
		person.post("/verify-2fa", "code", person.currentCode(), "rememberBrowser", "true");
		// Signed out by inactivity (not by signing out, which ends the trust's stand-in).
		this.clock.advance(Duration.ofMinutes(31));
		person.get("/");
		assertThat(person.signInOnThisBrowser()).as("the trusted browser skips the code").isEqualTo("/");

		Pkce weak = new Pkce();
		String code = codeFrom(open(person, authorize("web", weak, "")).andReturn().getResponse());
		Map<String, Object> aal1 = verified((String) token("web", code, weak.verifier).get("id_token"))
			.getJWTClaimsSet()
			.getClaims();
		assertThat(aal1.get("acr")).isEqualTo(Assurance.AAL1);
		assertThat((List<Object>) aal1.get("amr")).containsExactly("pwd");
		assertThat(person.get("/account").andReturn().getResponse().getContentAsString())
			.as("the sessions list says the same level")
			.contains("Signed in with password on a trusted browser · AAL1");

		Pkce strong = new Pkce();
		String asked = "&acr_values=" + Assurance.AAL2;
		assertThat(open(person, authorize("web", strong, asked)).andReturn().getResponse().getRedirectedUrl())
			.isEqualTo("/login");
		this.clock.advance(Duration.ofSeconds(30));
		person.perform(MockMvcRequestBuilders.post("/login")
			.param("username", person.username())
			.param("password", dev.totplogin.support.TestAccounts.PASSWORD));
		assertThat(person.get("/verify-2fa").andExpect(status().isOk()).andReturn().getResponse().getContentAsString())
			.as("the code form, though the browser is trusted")
			.contains("name=\"code\"");
		String back = person.code(person.currentCode()).andReturn().getResponse().getRedirectedUrl();
		String strongCode = codeFrom(open(person, back).andReturn().getResponse());
		Map<String, Object> aal2 = verified((String) token("web", strongCode, strong.verifier).get("id_token"))
			.getJWTClaimsSet()
			.getClaims();
		assertThat(aal2.get("acr")).isEqualTo(Assurance.AAL2);
		assertThat((List<Object>) aal2.get("amr")).containsExactly("pwd", "otp", "mfa");
		assertThat(person.get("/account").andReturn().getResponse().getContentAsString())
			.as("the same session, signed in again: its row says what it proved now")
			.contains("Signed in with password and authenticator code · AAL2")
			.doesNotContain("AAL1");
	}

	@Test
	void signOutWhenTheClientHadTokensThenItsRefreshTokenIsRevokedAndABackChannelLogoutQueued() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		Pkce pkce = new Pkce();
		Map<?, ?> tokens = token("web", codeFrom(open(person, authorize("web", pkce, "")).andReturn().getResponse()),
				pkce.verifier);
		assertThat(tokens.get("refresh_token")).isNotNull();
		assertThat(this.clientSessions.orphans()).isEmpty();
		int logoutsBefore = logoutsTried();
		person.post("/logout");
		// The background sweep (every 3 s) finds the ended session and queues its logout.
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(logoutsTried()).isGreaterThan(logoutsBefore));
		assertThat(this.clientSessions.orphans()).isEmpty();
		this.mvc
			.perform(MockMvcRequestBuilders.post("/oauth2/token")
				.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
					.httpBasic("web", "web-secret-0123456789abcdef"))
				.param("grant_type", "refresh_token")
				.param("refresh_token", (String) tokens.get("refresh_token")))
			.andExpect(status().isBadRequest());
	}

	@Test
	void disableWhenTheClientHadTokensThenTheRefreshTokenIsRefusedAtOnce() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		Pkce pkce = new Pkce();
		Map<?, ?> tokens = token("web", codeFrom(open(person, authorize("web", pkce, "")).andReturn().getResponse()),
				pkce.verifier);
		long id = this.jdbc.queryForObject("select id from account where username = ?", Long.class, person.username());
		this.administration.disable(id, dev.totplogin.admin.AccountAdministration.Actor.COMMAND_LINE);
		// At once, in the disable's transaction: not left to the 3-s sweep.
		assertThat(this.jdbc.queryForObject("select count(*) from oauth2_authorization where principal_name = ?",
				Integer.class, person.username()))
			.isZero();
		this.mvc
			.perform(MockMvcRequestBuilders.post("/oauth2/token")
				.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
					.httpBasic("web", "web-secret-0123456789abcdef"))
				.param("grant_type", "refresh_token")
				.param("refresh_token", (String) tokens.get("refresh_token")))
			.andExpect(status().isBadRequest());
	}

	@Test
	void deleteAccountWhenTheClientHadTokensThenRevokedAndALogoutQueuedThatStillNamesTheSubject() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		Pkce pkce = new Pkce();
		Map<?, ?> tokens = token("web", codeFrom(open(person, authorize("web", pkce, "")).andReturn().getResponse()),
				pkce.verifier);
		String subject = this.jdbc.queryForObject(
				"select s.subject from oidc_subject s join account a on a.id = s.account_id where a.username = ?",
				String.class, person.username());
		java.util.Set<String> queuedBefore = new java.util.HashSet<>(this.jdbc.queryForList(
				"select task_instance from scheduled_tasks where task_name = ?", String.class, BackChannelLogout.TASK));
		this.clock.advance(Duration.ofSeconds(30));
		person
			.post("/account/delete", "currentPassword", dev.totplogin.support.TestAccounts.PASSWORD, "code",
					person.currentCode())
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl("/login"));
		// Queued in the deletion's own transaction, not by the sweep: the account is gone
		// when it is sent, so it carries the subject.
		List<BackChannelLogout.Logout> queued = this.jdbc
			.query("select task_instance, task_data from scheduled_tasks where task_name = ?",
					(row, n) -> queuedBefore.contains(row.getString(1)) ? null : deserialized(row.getBytes(2)),
					BackChannelLogout.TASK)
			.stream()
			.filter(java.util.Objects::nonNull)
			.toList();
		assertThat(queued).singleElement().satisfies((logout) -> {
			assertThat(logout.clientId()).isEqualTo("web");
			assertThat(logout.subject()).isEqualTo(subject);
		});
		assertThat(
				this.jdbc.queryForObject("select count(*) from oidc_subject where subject = ?", Integer.class, subject))
			.isZero();
		this.mvc
			.perform(MockMvcRequestBuilders.post("/oauth2/token")
				.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
					.httpBasic("web", "web-secret-0123456789abcdef"))
				.param("grant_type", "refresh_token")
				.param("refresh_token", (String) tokens.get("refresh_token")))
			.andExpect(status().isBadRequest());
	}

	private static BackChannelLogout.Logout deserialized(byte[] data) {
		try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(data))) {
			return (BackChannelLogout.Logout) in.readObject();
		}
		catch (java.io.IOException | ClassNotFoundException ex) {
			throw new IllegalStateException("not a queued logout", ex);
		}
	}

	/**
	 * Back-channel logouts queued (this test's client at 127.0.0.1:9 takes none, so each
	 * stays queued for its retries).
	 */
	private int logoutsTried() {
		return this.jdbc.queryForObject("select count(*) from scheduled_tasks where task_name = ?", Integer.class,
				BackChannelLogout.TASK);
	}

	@Test
	void rpInitiatedLogoutWhenTheIdTokenIsThisSessionsThenSignedOutAndBackToTheClient() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		Pkce pkce = new Pkce();
		String idToken = (String) token("web",
				codeFrom(open(person, authorize("web", pkce, "")).andReturn().getResponse()), pkce.verifier)
			.get("id_token");
		MockHttpServletResponse logout = person
			.get("/connect/logout?id_token_hint=" + idToken
					+ "&post_logout_redirect_uri=http://app.example.test/signed-out&state=bye")
			.andReturn()
			.getResponse();
		String location = logout.getRedirectedUrl();
		assertThat(logout.getStatus()).as(logout.getContentAsString()).isEqualTo(302);
		assertThat(location).isEqualTo("http://app.example.test/signed-out?state=bye");
		assertThat(person.get("/").andReturn().getResponse().getRedirectedUrl()).isEqualTo("/login");
		assertThat(dev.totplogin.support.TestAccounts.eventsOf(this.jdbc, person.username())).endsWith("SIGNED_OUT");
	}

	@Test
	void hostileRequestsWhenSentThenAClearOAuthErrorNothingIssuedAndNo5xx() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		Pkce pkce = new Pkce();
		// A redirect URI not registered: an error page here, never a redirect there.
		MockHttpServletResponse foreign = open(person,
				authorize("web", pkce, "").replace(REDIRECT, "http://evil.example.test/callback"))
			.andReturn()
			.getResponse();
		assertThat(foreign.getStatus()).as(foreign.getRedirectedUrl()).isEqualTo(400);
		assertThat(foreign.getRedirectedUrl()).isNull();
		// Also with prompt=none, which answers at the redirect URI.
		MockHttpServletResponse foreignNoPrompt = open(new Person(this.mvc, this.clock),
				authorize("web", pkce, "&prompt=none").replace(REDIRECT, "http://evil.example.test/callback"))
			.andReturn()
			.getResponse();
		assertThat(foreignNoPrompt.getStatus()).isEqualTo(400);
		// No PKCE.
		String noPkce = person
			.get("/oauth2/authorize?response_type=code&client_id=web&scope=openid&state=s&redirect_uri=" + REDIRECT)
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		assertThat(noPkce).startsWith(REDIRECT + "?error=invalid_request");
		// A request object.
		assertThat(open(person, authorize("web", pkce, "&request=eyJhbGciOiJub25lIn0.e30.")).andReturn()
			.getResponse()
			.getRedirectedUrl()).startsWith(REDIRECT + "?error=request_not_supported");
		assertThat(open(person, authorize("web", pkce, "&request_uri=urn:x")).andReturn().getResponse().getStatus())
			.isEqualTo(400);
		// Spring Security checks nothing of a request with request_uri: never a redirect.
		for (Person who : List.of(person, new Person(this.mvc, this.clock))) {
			MockHttpServletResponse unchecked = open(who,
					"/oauth2/authorize?client_id=nobody&request_uri=urn:x&prompt=none&max_age=0"
							+ "&redirect_uri=https://evil.example.test/x")
				.andReturn()
				.getResponse();
			assertThat(unchecked.getStatus()).isEqualTo(400);
			assertThat(unchecked.getRedirectedUrl()).isNull();
		}
		assertThat(open(person, authorize("web", pkce, "&max_age=soon")).andReturn().getResponse().getRedirectedUrl())
			.startsWith(REDIRECT + "?error=invalid_request");
		// A huge parameter.
		assertThat(open(person, authorize("web", pkce, "&state=" + "x".repeat(20_000))).andReturn()
			.getResponse()
			.getStatus()).isLessThan(500);

		String code = codeFrom(open(person, authorize("web", pkce, "")).andReturn().getResponse());
		// A wrong verifier: nothing issued (the client holding the right one may still
		// use the code).
		tokenRequest("web", code, "wrong-verifier-" + "v".repeat(40)).andExpect(status().isBadRequest());
		// A code presented by another client.
		Pkce other = new Pkce();
		String otherCode = codeFrom(open(person, authorize("web", other, "")).andReturn().getResponse());
		this.mvc
			.perform(MockMvcRequestBuilders.post("/oauth2/token")
				.param("client_id", "spa")
				.param("grant_type", "authorization_code")
				.param("code", otherCode)
				.param("redirect_uri", REDIRECT)
				.param("code_verifier", other.verifier))
			.andExpect(status().isBadRequest());
		// Replayed.
		Pkce twice = new Pkce();
		String replayed = codeFrom(open(person, authorize("web", twice, "")).andReturn().getResponse());
		tokenRequest("web", replayed, twice.verifier).andExpect(status().isOk());
		tokenRequest("web", replayed, twice.verifier).andExpect(status().isBadRequest());
		// A wrong client secret.
		this.mvc
			.perform(MockMvcRequestBuilders.post("/oauth2/token")
				.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
					.httpBasic("web", "not-the-secret"))
				.param("grant_type", "authorization_code")
				.param("code", "x")
				.param("redirect_uri", REDIRECT)
				.param("code_verifier", twice.verifier))
			.andExpect(status().isUnauthorized());
	}

	/** A URL as a browser sends it, already encoded (MockMvc would encode it again). */
	private static org.springframework.test.web.servlet.ResultActions open(Person person, String url) throws Exception {
		return person.perform(MockMvcRequestBuilders.get(URI.create(url)));
	}

	private static String authorize(String client, Pkce pkce, String extra) {
		String redirect = "web".equals(client) ? REDIRECT : "http://spa.example.test/callback";
		return UriComponentsBuilder.fromPath("/oauth2/authorize")
			.queryParam("response_type", "code")
			.queryParam("client_id", client)
			.queryParam("scope", "web".equals(client) ? "openid profile email" : "openid")
			.queryParam("state", "s-1")
			.queryParam("nonce", "n-1")
			.queryParam("redirect_uri", redirect)
			.queryParam("code_challenge", pkce.challenge)
			.queryParam("code_challenge_method", "S256")
			.encode()
			.build()
			.toUriString() + extra;
	}

	private static String codeFrom(MockHttpServletResponse response) {
		String location = response.getRedirectedUrl();
		assertThat(location).as("a code at the client's redirect URI").startsWith(REDIRECT + "?code=");
		Map<String, List<String>> query = UriComponentsBuilder.fromUriString(location).build().getQueryParams();
		assertThat(query.get("state")).containsExactly("s-1");
		return query.get("code").get(0);
	}

	private org.springframework.test.web.servlet.ResultActions tokenRequest(String client, String code, String verifier)
			throws Exception {
		return this.mvc.perform(MockMvcRequestBuilders.post("/oauth2/token")
			.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
				.httpBasic(client, "web-secret-0123456789abcdef"))
			.param("grant_type", "authorization_code")
			.param("code", code)
			.param("redirect_uri", REDIRECT)
			.param("code_verifier", verifier));
	}

	private Map<?, ?> token(String client, String code, String verifier) throws Exception {
		MockHttpServletResponse response = tokenRequest(client, code, verifier).andReturn().getResponse();
		assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
		return json(response);
	}

	private SignedJWT verified(String jwt) throws Exception {
		SignedJWT token = SignedJWT.parse(jwt);
		JWKSet keys = JWKSet.parse(this.mvc.perform(MockMvcRequestBuilders.get("/oauth2/jwks"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
		RSAKey key = (RSAKey) keys.getKeyByKeyId(token.getHeader().getKeyID());
		assertThat(key.isPrivate()).as("the JWKS publishes public keys only").isFalse();
		assertThat(token.verify(new RSASSAVerifier(key))).isTrue();
		return token;
	}

	private Map<?, ?> json(MockHttpServletResponse response) throws Exception {
		assertThat(response.getContentType()).startsWith(MediaType.APPLICATION_JSON_VALUE);
		return this.json.readValue(response.getContentAsString(StandardCharsets.UTF_8), Map.class);
	}

	private static final class Pkce {

		final String verifier = dev.totplogin.crypto.Tokens.random(32);

		final String challenge;

		Pkce() {
			try {
				this.challenge = Base64.getUrlEncoder()
					.withoutPadding()
					.encodeToString(MessageDigest.getInstance("SHA-256")
						.digest(this.verifier.getBytes(StandardCharsets.US_ASCII)));
			}
			catch (java.security.NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
