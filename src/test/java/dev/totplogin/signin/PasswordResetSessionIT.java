package dev.totplogin.signin;

import java.util.List;

import dev.totplogin.account.AccountTokens;
import dev.totplogin.account.AccountTokens.Purpose;
import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.TestClockConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reset link's sessions over real HTTP, with Spring Session JDBC as in production:
 * MockMvc can show neither a session id that changes nor a session row that is stored.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(TestClockConfiguration.class)
class PasswordResetSessionIT {

	@LocalServerPort
	private int port;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private AccountTokens tokens;

	/**
	 * Issue 27, finding 5: someone who planted a session id of theirs in the victim's
	 * browser (here the session of their own reset link) must not see the victim's reset
	 * form once the victim follows the real link.
	 */
	@Test
	void linkWhenFollowedInABrowserWithAPlantedSessionThenTheSessionIdChangesAndThePlanterSeesNothing() {
		new HttpBrowser(this.port).registerAndEnroll("reset.victim", this.clock);
		new HttpBrowser(this.port).registerAndEnroll("reset.planter", this.clock);
		HttpBrowser planter = new HttpBrowser(this.port);
		assertThat(planter.get("/password/reset?token=" + linkFor("reset.planter")).redirectPath())
			.isEqualTo("/password/reset");
		String planted = planter.sessionId().orElseThrow();
		assertThat(planter.get("/password/reset").body()).contains("reset.planter");

		HttpBrowser victim = new HttpBrowser(this.port);
		victim.useSessionId(planted);
		assertThat(victim.get("/password/reset?token=" + linkFor("reset.victim")).redirectPath())
			.isEqualTo("/password/reset");
		assertThat(victim.sessionId()).get().isNotEqualTo(planted);
		assertThat(victim.get("/password/reset").body()).contains("reset.victim");

		HttpBrowser.Page seenByPlanter = planter.get("/password/reset");
		assertThat(seenByPlanter.body()).doesNotContain("reset.victim").doesNotContain("name=\"newPassword\"");
	}

	/**
	 * Issue 27, finding 6: the reset page stores no session until a valid link is known,
	 * like every other anonymous page.
	 */
	@Test
	void resetPageWhenOpenedAnonymouslyWithoutAValidLinkThenNoSessionIsStored() {
		int before = sessionRows();
		for (int i = 0; i < 50; i++) {
			HttpBrowser visitor = new HttpBrowser(this.port);
			for (String path : List.of("/password/reset", "/password/reset?token=",
					"/password/reset?token=nonsense" + i, "/password/reset?token=" + "A".repeat(43))) {
				HttpBrowser.Page page = visitor.get(path);
				assertThat(page.status()).as(path).isEqualTo(200);
				assertThat(page.body()).as(path).contains("id=\"ask-again\"");
				assertThat(page.raw().headers().allValues("Set-Cookie")).as(path)
					.noneMatch((header) -> header.startsWith("SESSION="));
			}
		}
		assertThat(sessionRows()).isEqualTo(before);
	}

	private String linkFor(String username) {
		long id = this.jdbc.queryForObject("select id from account where username = ?", Long.class, username);
		return this.tokens.issue(id, Purpose.RESET_PASSWORD, username + "@example.com");
	}

	private int sessionRows() {
		return this.jdbc.queryForObject("select count(*) from spring_session", Integer.class);
	}

}
