package dev.totplogin.web;

import dev.totplogin.support.MockMvcAppTest;
import java.util.List;
import java.util.Map;

import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Response headers on every page, and hostile input on every form: never a 5xx, an echo
 * of markup or a change.
 */
@MockMvcAppTest
class HeadersAndBadInputTests {

	private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
			+ "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void everyPageWhenServedThenStrictSecurityHeaders() throws Exception {
		Person person = new Person(this.mvc, this.clock).register();
		List<String> pending = List.of("/setup-2fa", "/setup-2fa/qr.png");
		for (String path : pending) {
			assertSecurityHeaders(person.get(path).andReturn(), path);
		}
		person.enroll();
		for (String path : List.of("/", "/account")) {
			assertSecurityHeaders(person.get(path).andReturn(), path);
		}
		for (String path : List.of("/login", "/register")) {
			assertSecurityHeaders(this.mvc.perform(get(path)).andReturn(), path);
		}
	}

	@Test
	void stylesheetsAndScriptsWhenServedThenCachedAndRevalidatedWithoutRewritingPageLinks() throws Exception {
		String page = this.mvc.perform(get("/login")).andReturn().getResponse().getContentAsString();
		List<String> assets = List.of("/webjars/bootstrap/css/bootstrap.min.css", "/assets/app.css", "/assets/app.js",
				"/assets/favicon.svg");
		for (String path : assets) {
			assertThat(page).as("the page links " + path + " as written").contains("\"" + path + "\"");
			MvcResult first = this.mvc.perform(get(path)).andReturn();
			assertThat(first.getResponse().getStatus()).as(path).isEqualTo(200);
			assertThat(first.getResponse().getHeader("Cache-Control")).as(path).isEqualTo("no-cache");
			String lastModified = first.getResponse().getHeader("Last-Modified");
			assertThat(lastModified).as(path).isNotBlank();
			this.mvc.perform(get(path).header("If-Modified-Since", lastModified)).andExpect(status().isNotModified());
		}
	}

	@Test
	void httpsWhenServedThenStrictTransportSecurityForAYear() throws Exception {
		this.mvc.perform(get("/login").secure(true))
			.andExpect(header().string("Strict-Transport-Security", containsString("max-age=31536000")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "10k", "nul", "control", "html", "sql", "arabicDigits", "fullwidthDigits", "empty" })
	void everyFormWhenHostileInputThenClearAnswerNoEchoNoChange(String kind) throws Exception {
		String input = switch (kind) {
			case "10k" -> "7".repeat(10_000);
			case "nul" -> "abc\u0000def123456";
			case "control" -> "abc\u0007\u001b[31mdef";
			case "html" -> "<script>alert(1)</script><img src=x onerror=alert(1)>";
			case "sql" -> "' OR '1'='1'; DROP TABLE account; --";
			case "arabicDigits" -> "\u0661\u0662\u0663\u0664\u0665\u0666";
			case "fullwidthDigits" -> "\uff11\uff12\uff13\uff14\uff15\uff16";
			default -> "";
		};
		Person person = new Person(this.mvc, this.clock).signedUp();
		Map<String, Object> before = snapshot();
		Person pending = new Person(this.mvc, this.clock, person.username());
		pending.signIn();

		List<MvcResult> results = List.of(
				this.mvc
					.perform(post("/register").param("username", input)
						.param("password", input)
						.param("confirmPassword", input)
						.with(csrf()))
					.andReturn(),
				this.mvc.perform(post("/login").param("username", input).param("password", input).with(csrf()))
					.andReturn(),
				pending.post("/verify-2fa", "code", input).andReturn(),
				pending.post("/verify-2fa/recovery", "recoveryCode", input).andReturn(),
				person
					.post("/account/password", "currentPassword", input, "newPassword", input, "confirmPassword", input,
							"code", input)
					.andReturn(),
				person.post("/account/recovery-codes", "code", input).andReturn(),
				person.post("/account/authenticator", "currentPassword", input, "code", input).andReturn(),
				person.post("/account/sessions", "code", input).andReturn(),
				person.post("/account/confirm", "code", input).andReturn(),
				person.perform(post("/account/sessions/{ref}/end", input)).andReturn(),
				person.perform(post("/account/trusted-browsers/{id}/forget", input)).andReturn(),
				person.perform(post("/account/security-keys/{id}/remove", input)).andReturn(),
				person.post("/account/security-keys/added", "name", input).andReturn(),
				person.perform(post("/webauthn/register").contentType(MediaType.APPLICATION_JSON).content(input))
					.andReturn(),
				pending.perform(post("/login/webauthn").contentType(MediaType.APPLICATION_JSON).content(input))
					.andReturn(),
				pending.post("/verify-2fa", "code", input, "rememberBrowser", input).andReturn(),
				person.post("/language", "lang", input, "returnTo", input).andReturn(),
				person.post("/account/email", "currentPassword", input, "code", input, "email", input).andReturn(),
				this.mvc.perform(post("/password/forgot").param("email", input).with(csrf())).andReturn(),
				this.mvc
					.perform(post("/register").param("username", "hostile.email")
						.param("password", "correct horse battery staple")
						.param("confirmPassword", "correct horse battery staple")
						.param("email", input + "@")
						.with(csrf()))
					.andReturn(),
				this.mvc.perform(post("/email/verify").param("token", input).with(csrf())).andReturn(),
				this.mvc.perform(get("/password/reset").param("token", input)).andReturn());
		for (MvcResult result : results) {
			String where = result.getRequest().getRequestURI() + " with " + kind;
			assertThat(result.getResponse().getStatus()).as(where).isLessThan(500);
			String body = result.getResponse().getContentAsString();
			assertThat(body).as(where)
				.doesNotContain("<script>alert")
				.doesNotContain("<img src=x")
				.doesNotContain("\u0000");
			if (result.getResponse().getStatus() == 200 && !where.startsWith("/password/reset")) {
				assertThat(body).as(where).contains("invalid-feedback");
			}
		}
		assertThat(snapshot()).isEqualTo(before);
	}

	@Test
	void formsWhenPostedAsJsonOrWithoutFieldsThenNoServerError() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		for (String path : List.of("/register", "/account/password", "/account/sessions", "/account/email",
				"/account/email/resend", "/password/forgot", "/password/reset", "/email/verify", "/account/confirm",
				"/language", "/account/trusted-browsers/forget-all")) {
			int status = person.post(path).andReturn().getResponse().getStatus();
			assertThat(status).as(path + " without fields").isLessThan(500);
		}
		for (String path : List.of("/login", "/register", "/account/password", "/verify-2fa", "/password/forgot",
				"/password/reset", "/email/verify", "/account/email")) {
			int status = this.mvc
				.perform(post(path).session(person.session())
					.with(csrf())
					.contentType(MediaType.APPLICATION_JSON)
					.content("{\"username\":\"x\",\"code\":\"123456\"}"))
				.andReturn()
				.getResponse()
				.getStatus();
			assertThat(status).as(path + " as JSON").isLessThan(500);
		}
	}

	private void assertSecurityHeaders(MvcResult result, String path) {
		assertThat(result.getResponse().getHeader("Content-Security-Policy")).as(path).isEqualTo(CSP);
		assertThat(result.getResponse().getHeader("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
		assertThat(result.getResponse().getHeader("Referrer-Policy")).as(path).isEqualTo("no-referrer");
		assertThat(result.getResponse().getHeader("X-Frame-Options")).as(path).isEqualTo("DENY");
		assertThat(result.getResponse().getHeader("Cache-Control")).as(path).contains("no-store");
	}

	/** Everything a form could change, and how many rows each table has. */
	private Map<String, Object> snapshot() {
		return Map.of("accounts", this.jdbc.queryForList(
				"select id, username, password_hash, totp_secret, (select count(*) from pending_authenticator p where p.account_id = account.id) as pending, "
						+ "session_epoch from account order by id"),
				"codes", this.jdbc.queryForList("select id, used_at from recovery_code order by id"), "keys",
				this.jdbc.queryForList("select credential_id, signature_count from user_credentials order by 1"));
	}

}
