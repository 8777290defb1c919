package dev.totplogin.operator;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code --disable} and {@code --enable}, run as the command runs them: the way back for
 * an administrator's own account, which the console refuses to disable.
 */
@MockMvcAppTest
class AccountStateCommandTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private AccountStateCommand command;

	@Test
	void disableThenEnableWhenTheAccountExistsThenSessionsEndSignInIsRefusedThenAllowedAndBothAreAudited()
			throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.command.run(new DefaultApplicationArguments("--disable=" + person.username().toUpperCase()));
		assertThat(this.command.getExitCode()).isZero();
		assertThat(disabled(person)).isTrue();
		person.get("/account").andExpect(redirectedUrl("/login"));

		this.command.run(new DefaultApplicationArguments("--enable=" + person.username()));
		assertThat(this.command.getExitCode()).isZero();
		assertThat(disabled(person)).isFalse();
		person.signedInAgain();
		person.get("/account").andExpect(status().isOk());
		assertThat(TestAccounts.eventsOf(this.jdbc, person.username())).contains("ACCOUNT_DISABLED", "ACCOUNT_ENABLED");
		assertThat(this.jdbc.queryForList(
				"select l.action from admin_log l join account a on a.id = l.account_id "
						+ "where a.username = ? and l.admin_account_id is null order by l.id",
				String.class, person.username()))
			.containsExactly("disable", "enable");
	}

	@Test
	void disableWhenNoSuchAccountThenExit1AndNothingChanges() {
		int logged = this.jdbc.queryForObject("select count(*) from admin_log", Integer.class);
		this.command.run(new DefaultApplicationArguments("--disable=nobody-here"));
		assertThat(this.command.getExitCode()).isOne();
		assertThat(this.jdbc.queryForObject("select count(*) from admin_log", Integer.class)).isEqualTo(logged);
	}

	@Test
	void commandWhenBothOrNoUsernameThenExit2AndNothingChanges() {
		int logged = this.jdbc.queryForObject("select count(*) from admin_log", Integer.class);
		this.command.run(new DefaultApplicationArguments("--disable=a", "--enable=a"));
		assertThat(this.command.getExitCode()).isEqualTo(2);
		this.command.run(new DefaultApplicationArguments("--enable="));
		assertThat(this.command.getExitCode()).isEqualTo(2);
		assertThat(this.jdbc.queryForObject("select count(*) from admin_log", Integer.class)).isEqualTo(logged);
	}

	@Test
	void isRequestedWhenTheOptionIsGivenThenTheWebApplicationDoesNotStart() {
		assertThat(ResetSecondFactorCommand.isRequested(new String[] { "--disable=alice" })).isTrue();
		assertThat(ResetSecondFactorCommand.isRequested(new String[] { "--enable=alice" })).isTrue();
		assertThat(ResetSecondFactorCommand.isRequested(new String[] { "--enabled-feature=x" })).isFalse();
	}

	private boolean disabled(Person person) {
		return this.jdbc.queryForObject("select disabled_at is not null from account where username = ?", Boolean.class,
				person.username());
	}

}
