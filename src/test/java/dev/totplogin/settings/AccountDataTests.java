package dev.totplogin.settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * "Download my data": fresh proof first; then a JSON file with the profile, the security
 * history, the sessions, the keys' public parts and the trusted browsers, and none of the
 * account's secrets, hashes, codes, tokens or session ids.
 */
@MockMvcAppTest
class AccountDataTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void downloadWhenNoFreshProofThenConfirmFirstAndNothingRecorded() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		person.get("/account/data").andExpect(redirectedUrl("/account#confirm"));
		person.get("/account").andExpect(content().string(containsString("with a code, then try again.")));
		assertThat(TestAccounts.eventsOf(this.jdbc, person.username())).doesNotContain("DATA_EXPORTED");
	}

	@Test
	void downloadWhenNotSignedInThenSignInFirst() throws Exception {
		this.mvc.perform(MockMvcRequestBuilders.get("/account/data")).andExpect(redirectedUrl("/login"));
	}

	@Test
	void downloadWhenFreshProofThenAJsonAttachmentWithTheRecordAndNoSecret() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		Person laptop = person.anotherBrowser();
		this.clock.advance(Duration.ofSeconds(30));
		laptop.signIn().andExpect(redirectedUrl("/verify-2fa"));
		laptop
			.perform(MockMvcRequestBuilders.post("/verify-2fa")
				.param("code", laptop.currentCode())
				.param("rememberBrowser", "true"))
			.andExpect(redirectedUrl("/"));
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/confirm", "code", person.currentCode()).andExpect(redirectedUrl("/account#confirm"));

		MockHttpServletResponse response = person.get("/account/data")
			.andExpect(status().isOk())
			.andReturn()
			.getResponse();

		assertThat(response.getContentType()).startsWith("application/json");
		assertThat(response.getHeader(HttpHeaders.CONTENT_DISPOSITION)).startsWith("attachment")
			.contains("account-data.json");
		assertThat(response.getHeader(HttpHeaders.CACHE_CONTROL)).contains("no-store");
		String json = response.getContentAsString();
		assertThat(json).contains("\"username\":\"" + person.username() + "\"")
			.contains("\"securityHistory\"")
			.contains("\"REGISTERED\"")
			.contains("\"SECOND_FACTOR_ENABLED\"")
			.contains("\"BROWSER_TRUSTED\"")
			.contains("\"DATA_EXPORTED\"")
			.contains("\"thisSession\":true")
			.contains("\"trustedBrowsers\":[{")
			.contains("\"applications\":[]");

		List<String> secrets = new ArrayList<>();
		secrets.add(this.jdbc.queryForObject("select password_hash from account where username = ?", String.class,
				person.username()));
		secrets.add(this.jdbc.queryForObject("select totp_secret from account where username = ?", String.class,
				person.username()));
		secrets.add(person.secret());
		secrets.addAll(person.recoveryCodes());
		secrets.addAll(this.jdbc.queryForList(
				"select r.code_hash from recovery_code r join account a on a.id = r.account_id where a.username = ?",
				String.class, person.username()));
		secrets.addAll(this.jdbc.queryForList(
				"select s.id from signed_in_session s join account a on a.id = s.account_id where a.username = ?",
				String.class, person.username()));
		secrets.addAll(this.jdbc.queryForList(
				"select t.id from trusted_browser t join account a on a.id = t.account_id where a.username = ?",
				String.class, person.username()));
		secrets.addAll(this.jdbc
			.queryForList("select t.secret_hash from trusted_browser t join account a on a.id = t.account_id "
					+ "where a.username = ?", String.class, person.username()));
		secrets.add(laptop.cookie("TRUSTED_BROWSER").getValue());
		assertThat(secrets).hasSizeGreaterThanOrEqualTo(16).doesNotContainNull();
		for (String secret : secrets) {
			assertThat(json).as("the file holds no secret, hash, code or id").doesNotContain(secret);
		}
		assertThat(TestAccounts.eventsOf(this.jdbc, person.username())).contains("DATA_EXPORTED");
	}

}
