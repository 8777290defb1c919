package dev.totplogin.signin;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
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
@TestPropertySource(properties = "app.security.registration-limit.per-ip-per-hour=3")
class RegistrationLimitTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JdbcTemplate jdbc;

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

}
