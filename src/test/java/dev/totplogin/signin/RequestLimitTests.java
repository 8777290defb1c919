package dev.totplogin.signin;

import java.time.Duration;

import dev.totplogin.support.Mailbox;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Security review, finding 8: registrations per client IP are limited in the database,
 * taken names counted too.
 */
@MockMvcAppTest
@TestPropertySource(
		properties = { "app.security.registration-limit.per-ip-per-hour=3", "app.mail.requests-per-ip-per-hour=4",
				"app.mail.resets-per-address-per-hour=2", "app.security.passkey-options-limit.per-ip-per-hour=3" })
class RequestLimitTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private MutableClock clock;

	@Test
	void registerWhenTheClientsLimitIsReachedThenRefusedWith429AndNoAccountMade() throws Exception {
		register("203.0.113.7", "limited.one").andExpect(redirectedUrl("/setup-2fa"));
		register("203.0.113.7", "limited.one").andExpect(status().isOk());
		register("203.0.113.7", "limited.two").andExpect(redirectedUrl("/setup-2fa"));
		register("203.0.113.7", "limited.three").andExpect(status().isTooManyRequests())
			.andExpect(content().string(containsString("Too many accounts were created from your network")));
		assertThat(
				this.jdbc.queryForObject("select count(*) from account where username like 'limited.%'", Integer.class))
			.isEqualTo(2);
		register("198.51.100.9", "limited.three").andExpect(redirectedUrl("/setup-2fa"));
	}

	@Test
	void passkeyChallengesWhenTheClientsLimitIsReachedThen429AndNoSessionMade() throws Exception {
		for (int i = 0; i < 3; i++) {
			assertThat(passkeyOptions("203.0.113.44").andExpect(status().isOk())
				.andReturn()
				.getRequest()
				.getSession(false)).isNotNull();
		}
		assertThat(passkeyOptions("203.0.113.44").andExpect(status().isTooManyRequests())
			.andReturn()
			.getRequest()
			.getSession(false)).as("no session for a refused challenge").isNull();
		passkeyOptions("198.51.100.44").andExpect(status().isOk());
	}

	private ResultActions passkeyOptions(String ip) throws Exception {
		return this.mvc.perform(post("/webauthn/authenticate/options").with((request) -> {
			request.setRemoteAddr(ip);
			return request;
		}).contentType(MediaType.APPLICATION_JSON).with(csrf()));
	}

	private ResultActions register(String ip, String username) throws Exception {
		return this.mvc.perform(post("/register").with((request) -> {
			request.setRemoteAddr(ip);
			return request;
		})
			.param("username", username)
			.param("password", TestAccounts.PASSWORD)
			.param("confirmPassword", TestAccounts.PASSWORD)
			.with(csrf()));
	}

	@Test
	void forgotWhenTheAddressOrTheClientLimitIsReachedThenTheSameAnswerAndNoMoreMail() throws Exception {
		Person owner = new Person(this.mvc, this.clock).withEmail("limited@example.com").signedUp();
		String verification = Mailbox.linkIn(new Mailbox(this.jdbc).awaitMessage(owner.email(), 1));
		owner.post("/email/verify", "token", verification.substring(verification.indexOf("token=") + 6));
		for (int i = 0; i < 3; i++) {
			forgot("192.0.2.1", owner.email()).andExpect(redirectedUrl("/password/forgot"));
		}
		new Mailbox(this.jdbc).awaitMessage(owner.email(), 3);
		for (int i = 0; i < 4; i++) {
			forgot("192.0.2.2", "someone" + i + "@example.com").andExpect(redirectedUrl("/password/forgot"));
		}
		forgot("192.0.2.2", owner.email()).andExpect(redirectedUrl("/password/forgot"));
		// Let the background catch up, then count: two reset mails to the address, no
		// more.
		await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> true);
		assertThat(new Mailbox(this.jdbc).messagesTo(owner.email())).extracting((message) -> message.get("SUBJECT"))
			.containsExactly("Confirm your email address", "Reset your password", "Reset your password");
	}

	private ResultActions forgot(String ip, String email) throws Exception {
		return this.mvc.perform(post("/password/forgot").with((request) -> {
			request.setRemoteAddr(ip);
			return request;
		}).param("email", email).with(csrf()));
	}

}
