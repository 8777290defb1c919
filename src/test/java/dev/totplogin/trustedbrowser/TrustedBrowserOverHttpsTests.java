package dev.totplogin.trustedbrowser;

import java.time.Duration;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

/** The cookie as {@code prod} sets it ({@code secure-cookie: true}). */
@MockMvcAppTest
@TestPropertySource(properties = "app.security.trusted-browser.secure-cookie=true")
class TrustedBrowserOverHttpsTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Test
	void cookieWhenSecureThenHostPrefixedSecureAndStillRecognised() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn();
		String header = person
			.perform(MockMvcRequestBuilders.post("/verify-2fa")
				.param("code", person.currentCode())
				.param("rememberBrowser", "true"))
			.andExpect(redirectedUrl("/"))
			.andReturn()
			.getResponse()
			.getHeaders("Set-Cookie")
			.stream()
			.filter((h) -> h.contains("TRUSTED_BROWSER="))
			.findFirst()
			.orElseThrow();
		assertThat(header).startsWith("__Host-TRUSTED_BROWSER=").contains("Secure", "Path=/").doesNotContain("Domain");
		assertThat(person.signInOnThisBrowser()).isEqualTo("/");
	}

}
