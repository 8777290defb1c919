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

/**
 * {@code --grant-admin} and {@code --revoke-admin}, run as the command runs them (the
 * process around them, exit codes included, is {@code OperatorAndKeyRotationIT}'s).
 */
@MockMvcAppTest
class AdminRoleCommandTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private AdminRoleCommand command;

	@Test
	void grantThenRevokeWhenTheAccountExistsThenTheRoleChangesAndBothAreAudited() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.command.run(new DefaultApplicationArguments("--grant-admin=" + person.username().toUpperCase()));
		assertThat(this.command.getExitCode()).isZero();
		assertThat(admin(person)).isTrue();

		this.command.run(new DefaultApplicationArguments("--revoke-admin=" + person.username()));
		assertThat(admin(person)).isFalse();
		assertThat(TestAccounts.eventsOf(this.jdbc, person.username())).contains("ADMIN_ROLE_GRANTED",
				"ADMIN_ROLE_REVOKED");
		assertThat(this.jdbc.queryForList(
				"select l.action from admin_log l join account a on a.id = l.account_id "
						+ "where a.username = ? and l.admin_account_id is null order by l.id",
				String.class, person.username()))
			.containsExactly("grant-admin", "revoke-admin");
	}

	@Test
	void grantWhenNoSuchAccountThenExit1AndNothingChanges() {
		int logged = this.jdbc.queryForObject("select count(*) from admin_log", Integer.class);
		this.command.run(new DefaultApplicationArguments("--grant-admin=nobody-here"));
		assertThat(this.command.getExitCode()).isOne();
		assertThat(this.jdbc.queryForObject("select count(*) from admin_log", Integer.class)).isEqualTo(logged);
	}

	private boolean admin(Person person) {
		return this.jdbc.queryForObject("select admin from account where username = ?", Boolean.class,
				person.username());
	}

}
