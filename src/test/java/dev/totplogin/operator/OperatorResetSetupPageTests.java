package dev.totplogin.operator;

import java.time.Duration;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * After the operator's reset, the person's next sign-in lands on the setup page, which
 * says why (issue 27, point 11); a first setup says nothing of the kind.
 */
@MockMvcAppTest
class OperatorResetSetupPageTests {

	private static final String WHY = "Your two-factor authentication was reset by an administrator: set it up again.";

	private static final String WHY_GERMAN = "Ihre Zwei-Faktor-Authentifizierung wurde von einem Administrator "
			+ "zurückgesetzt: Richten Sie sie erneut ein.";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private ResetSecondFactorCommand command;

	@Test
	void setupPageWhenTheOperatorResetTheSecondFactorThenItSaysWhyInEnglishAndGerman() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.command.run(new DefaultApplicationArguments("--reset-2fa=" + person.username()));
		assertThat(this.command.getExitCode()).isZero();

		this.clock.advance(Duration.ofSeconds(30));
		person.signIn().andExpect(redirectedUrl("/setup-2fa"));
		assertThat(page(person, "en")).contains(WHY).contains("id=\"admin-reset\"");
		assertThat(page(person, "de")).contains(WHY_GERMAN);
	}

	@Test
	void setupPageWhenSettingUpForTheFirstTimeThenNoWordOfAReset() throws Exception {
		Person person = new Person(this.mvc, this.clock).register();
		assertThat(page(person, "en")).doesNotContain("id=\"admin-reset\"").doesNotContain(WHY);
	}

	private String page(Person person, String language) throws Exception {
		return person.perform(MockMvcRequestBuilders.get("/setup-2fa").header("Accept-Language", language))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

}
