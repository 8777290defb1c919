package dev.totplogin.hashing;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The whole application on the Bouncy Castle fallback, as where libargon2 cannot load:
 * sign-up and sign-in work, and /actuator/info says which implementation runs (the bound
 * around either is {@code Argon2ParametersTests}'s).
 */
@MockMvcAppTest
@TestPropertySource(properties = "app.security.argon2.implementation=java")
class BouncyCastleFallbackTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private Argon2Implementation argon2;

	@Test
	void signInWhenHashingFallsBackToBouncyCastleThenItWorksAndInfoSaysSo() throws Exception {
		assertThat(this.argon2.running()).isEqualTo(Argon2Properties.Implementation.JAVA);
		new Person(this.mvc, this.clock).signedUp().signedInAgain().get("/").andExpect(status().isOk());
		this.mvc.perform(MockMvcRequestBuilders.get("/actuator/info"))
			.andExpect(jsonPath("$.passwordHashing.implementation").value("java"))
			.andExpect(jsonPath("$.passwordHashing.algorithm").value("argon2id"));
	}

	@Test
	void wrongPasswordWhenOnTheFallbackThenRefused() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		person.signIn("not the password at all").andExpect(redirectedUrl("/login"));
	}

}
