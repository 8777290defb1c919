package dev.totplogin.settings;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.totplogin.account.Account;
import dev.totplogin.admin.AccountAdministration;
import dev.totplogin.admin.AccountAdministration.Actor;
import dev.totplogin.crypto.SecretCipher;
import dev.totplogin.mail.EmailAddresses;
import dev.totplogin.support.Mailbox;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * "Delete my account" on the account page: the password and fresh proof, then nothing of
 * the account left in any table of the schema (found from the schema itself, so that a
 * table added later is checked too), every session ended, a pseudonymous audit line, a
 * goodbye mail without a link, and the username held for the quarantine.
 */
@MockMvcAppTest
class AccountDeletionTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private AccountAdministration administration;

	@Autowired
	private EmailAddresses addresses;

	@Autowired
	private Scheduler backgroundTasks;

	@Autowired
	private SecretCipher cipher;

	@Test
	void deleteWhenNoPasswordThenRefusedWithAMessageAndNothingChanges() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.postRefused("/account/delete", "currentPassword", "", "code", person.currentCode())
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Enter your current password.")));
		assertStillThere(person);
	}

	@Test
	void deleteWhenWrongPasswordThenRefusedWithAMessageAndNothingChanges() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.postRefused("/account/delete", "currentPassword", "not my password", "code", person.currentCode())
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("That isn")));
		assertStillThere(person);
	}

	@Test
	void deleteWhenPostedWithoutCsrfTokenThenForbiddenAndNothingChanges() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		this.mvc
			.perform(MockMvcRequestBuilders.post("/account/delete")
				.session(person.session())
				.param("currentPassword", TestAccounts.PASSWORD)
				.param("code", person.currentCode()))
			.andExpect(status().isForbidden());
		assertStillThere(person);
	}

	@Test
	void deleteWhenNoFreshProofThenRefusedWithAMessageAndNothingChanges() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		person.postRefused("/account/delete", "currentPassword", TestAccounts.PASSWORD, "code", "")
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Enter the 6-digit code from your app.")));
		this.clock.advance(Duration.ofSeconds(30));
		person.postRefused("/account/delete", "currentPassword", TestAccounts.PASSWORD, "code", person.wrongCode())
			.andExpect(status().isOk());
		assertStillThere(person);
	}

	@Test
	void deleteWhenPasswordAndFreshProofThenNothingOfTheAccountIsLeftInAnyTable() throws Exception {
		String email = "leaving-" + Long.toHexString(System.nanoTime()) + "@example.test";
		Person person = new Person(this.mvc, this.clock).withEmail(email).signedUp();
		Mailbox mailbox = new Mailbox(this.jdbc);
		String link = Mailbox.linkIn(mailbox.awaitMessage(email, 1));
		person.post("/email/verify", "token", link.substring(link.indexOf("token=") + 6))
			.andExpect(flash().attribute("info", "email.verify.done"));
		Person laptop = person.anotherBrowser();
		trust(laptop);
		long accountId = accountId(person);
		withKeyAndApplication(accountId, person.username());
		// An administrator's action: its notice and reset link are the account's mail.
		long adminId = accountId(new Person(this.mvc, this.clock).signedUp());
		assertThat(this.administration.sendPasswordResetLink(accountId, Actor.administrator(adminId))).isTrue();
		// With the background work held (as if SMTP were down): a change to a new address
		// waiting for its confirmation, its link not sent, and a reset request waiting.
		String next = "next-" + email;
		this.backgroundTasks.pause();
		MockHttpServletResponse deleted;
		try {
			this.addresses.changeRequested(accountId, next);
			new Person(this.mvc, this.clock).post("/password/forgot", "email", email.toUpperCase())
				.andExpect(redirectedUrl("/password/forgot"));
			// A new phone started but not finished: a pending secret, and fresh proof.
			this.clock.advance(Duration.ofSeconds(30));
			person
				.post("/account/authenticator", "currentPassword", TestAccounts.PASSWORD, "code", person.currentCode())
				.andExpect(redirectedUrl("/account/authenticator"));
			assertThat(rowsNaming(accountId, -1, person.username(), email, next))
				.as("the setup names the account everywhere")
				.containsKeys("ACCOUNT", "SECURITY_EVENT", "RECOVERY_CODE", "SIGNED_IN_SESSION", "TRUSTED_BROWSER",
						"PENDING_AUTHENTICATOR", "ACCOUNT_TOKEN", "MAIL_OUTBOX", "USER_ENTITIES", "OIDC_SUBJECT",
						"OIDC_CLIENT_SESSION", "OAUTH2_AUTHORIZATION", "SCHEDULED_TASKS");
			assertThat(new Mailbox(this.jdbc).messagesTo(next)).as("the new address's link, not sent").hasSize(1);

			deleted = person.post("/account/delete", "currentPassword", TestAccounts.PASSWORD, "code", "")
				.andExpect(redirectedUrl("/login"))
				.andExpect(flash().attribute("info", "login.accountDeleted"))
				.andReturn()
				.getResponse();
		}
		finally {
			this.backgroundTasks.resume();
		}

		assertThat(deleted.getCookie("TRUSTED_BROWSER").getMaxAge()).as("the cookie deleted").isZero();
		long goodbye = this.jdbc.queryForObject("select max(id) from mail_outbox where recipient = ?", Long.class,
				email);
		assertThat(rowsNaming(accountId, goodbye, person.username(), email, next)).as("rows left that name the account")
			.isEmpty();
		assertThat(this.jdbc.queryForList("select action from admin_log where account_id = ?", String.class, accountId))
			.as("the administrators' record keeps the account's id, on purpose")
			.isNotEmpty();
		assertThat(this.jdbc.queryForObject("select count(*) from user_credentials where credential_id = ?",
				Integer.class, base64Url("key-of-" + person.username())))
			.isZero();
		person.get("/account").andExpect(redirectedUrl("/login"));
		laptop.get("/account").andExpect(redirectedUrl("/login"));
		person.signIn().andExpect(redirectedUrl("/login"));

		List<Map<String, Object>> audit = this.jdbc.queryForList(
				"select * from security_event where event_type = 'ACCOUNT_DELETED' and detail = ?",
				"account " + accountId + " deleted by its owner");
		assertThat(audit).singleElement().satisfies((line) -> {
			assertThat(line.get("ACCOUNT_ID")).isNull();
			assertThat(line.get("IP_ADDRESS")).isNull();
			assertThat(line.get("USER_AGENT")).isNull();
			assertThat(line.values().toString()).doesNotContain(person.username()).doesNotContain(email);
		});

		String farewell = mailbox.awaitMessage(email, 1);
		assertThat(mailbox.messagesTo(email)).as("only the goodbye is left to the address").hasSize(1);
		assertThat(farewell).contains("Your account was deleted")
			.doesNotContain("http")
			.doesNotContain(person.username());
		assertThat((String) mailbox.messagesTo(email).get(0).get("HTML_BODY")).doesNotContain("href");
	}

	@Test
	void registerWhenTheUsernameOfADeletedAccountThenTakenUntilTheQuarantinePasses() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.post("/account/delete", "currentPassword", TestAccounts.PASSWORD, "code", person.currentCode())
			.andExpect(redirectedUrl("/login"));
		assertThat(this.jdbc.queryForList("select username_hash from deleted_username", String.class))
			.noneMatch((hash) -> hash.contains(person.username().toLowerCase()));

		String otherCase = person.username().toUpperCase();
		register(otherCase).andExpect(status().isOk())
			.andExpect(content().string(containsString("That username is taken.")));
		this.clock.advance(Duration.ofDays(30).minusMinutes(1));
		register(person.username()).andExpect(content().string(containsString("That username is taken.")));

		this.clock.advance(Duration.ofMinutes(2));
		register(person.username()).andExpect(redirectedUrl("/setup-2fa"));
	}

	@Test
	void deleteWhenAnotherAccountHasTheSameUnverifiedAddressThenOnlyTheOtherAccountsMailStays() throws Exception {
		String shared = "shared-" + Long.toHexString(System.nanoTime()) + "@example.test";
		Person leaving = new Person(this.mvc, this.clock).withEmail(shared).signedUp();
		Person staying = new Person(this.mvc, this.clock).withEmail(shared).signedUp();
		Mailbox mailbox = new Mailbox(this.jdbc);
		mailbox.awaitMessage(shared, 2);
		this.clock.advance(Duration.ofSeconds(30));
		leaving.post("/account/delete", "currentPassword", TestAccounts.PASSWORD, "code", leaving.currentCode())
			.andExpect(redirectedUrl("/login"));
		assertThat(this.jdbc.queryForList("select account_id from mail_outbox where recipient = ?", Long.class, shared))
			.as("the other account's mail only, and no goodbye to an unverified address")
			.containsExactly(accountId(staying));
	}

	private void assertStillThere(Person person) throws Exception {
		assertThat(this.jdbc.queryForObject("select count(*) from account where username = ?", Integer.class,
				person.username()))
			.isOne();
		assertThat(this.jdbc.queryForObject("select count(*) from deleted_username where username_hash = ?",
				Integer.class, this.cipher.keyedHash(Account.keyOf(person.username()))))
			.as("the username not held for a quarantine")
			.isZero();
		person.get("/account").andExpect(status().isOk());
		assertThat(TestAccounts.eventsOf(this.jdbc, person.username())).doesNotContain("ACCOUNT_DELETED");
		assertThat(this.jdbc.queryForObject(
				"select count(*) from signed_in_session s join account a on a.id = s.account_id where a.username = ?",
				Integer.class, person.username()))
			.isOne();
	}

	private org.springframework.test.web.servlet.ResultActions register(String username) throws Exception {
		return new Person(this.mvc, this.clock, username).perform(MockMvcRequestBuilders.post("/register")
			.param("username", username)
			.param("password", TestAccounts.PASSWORD)
			.param("confirmPassword", TestAccounts.PASSWORD));
	}

	private void trust(Person browser) throws Exception {
		this.clock.advance(Duration.ofSeconds(30));
		browser.signIn().andExpect(redirectedUrl("/verify-2fa"));
		browser
			.perform(MockMvcRequestBuilders.post("/verify-2fa")
				.param("code", browser.currentCode())
				.param("rememberBrowser", "true"))
			.andExpect(redirectedUrl("/"));
		assertThat(browser.cookie("TRUSTED_BROWSER")).isNotNull();
	}

	private long accountId(Person person) {
		return this.jdbc.queryForObject("select id from account where username = ?", Long.class, person.username());
	}

	/**
	 * A security key, and an application signed in to (its rows as the provider writes
	 * them): the ceremonies themselves have tests of their own.
	 */
	private void withKeyAndApplication(long accountId, String username) {
		String entity = base64Url("entity-of-" + username);
		this.jdbc.update("insert into user_entities (id, name, display_name) values (?, ?, ?)", entity, username,
				username);
		this.jdbc.update(
				"insert into user_credentials (credential_id, user_entity_user_id, public_key, "
						+ "backup_eligible, backup_state, authenticator_transports, label, created, last_used) "
						+ "values (?, ?, ?, false, false, 'usb', ?, ?, ?)",
				base64Url("key-of-" + username), entity, new byte[] { 1, 2, 3 }, "My key",
				Timestamp.from(this.clock.instant()), Timestamp.from(this.clock.instant()));
		String ref = this.jdbc.queryForObject("select min(id) from signed_in_session where account_id = ?",
				String.class, accountId);
		this.jdbc.update("insert into oidc_subject (account_id, subject) values (?, ?)", accountId,
				"subject-" + accountId);
		this.jdbc.update(
				"insert into oauth2_authorization (id, registered_client_id, principal_name, "
						+ "authorization_grant_type) values (?, ?, ?, ?)",
				"authz-" + accountId, "wiki", username, "authorization_code");
		this.jdbc.update(
				"insert into oidc_client_session (authorization_id, session_ref, account_id, client_id, "
						+ "signed_in_at) values (?, ?, ?, ?, ?)",
				"authz-" + accountId, ref, accountId, "wiki", Timestamp.from(this.clock.instant()));
	}

	private static String base64Url(String text) {
		return java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private static String quoted(String identifier) {
		return "\"" + identifier + "\"";
	}

	/**
	 * Every table of the schema with rows that name the account: its id in a column
	 * {@code account_id} or {@code id} of {@code account}, or its username or an address
	 * in any text column or in any binary one (serialized data, such as a background
	 * task's); the pseudonymous audit line, the goodbye message and the administrators'
	 * log (it keeps the account's id on purpose, docs/security-model.md) excepted.
	 * @param goodbye the goodbye message's id, or -1
	 * @param names the account's username and addresses
	 */
	private Map<String, Integer> rowsNaming(long accountId, long goodbye, String... names) throws Exception {
		Map<String, Integer> found = new java.util.TreeMap<>();
		Set<Integer> text = Set.of(Types.VARCHAR, Types.CHAR, Types.CLOB, Types.LONGVARCHAR, Types.NVARCHAR,
				Types.NCLOB);
		Set<Integer> binary = Set.of(Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB);
		try (var connection = this.dataSource.getConnection()) {
			DatabaseMetaData meta = connection.getMetaData();
			List<String> tables = new ArrayList<>();
			try (ResultSet rows = meta.getTables(null, "PUBLIC", "%", new String[] { "TABLE" })) {
				while (rows.next()) {
					tables.add(rows.getString("TABLE_NAME"));
				}
			}
			assertThat(tables).contains("ACCOUNT", "SECURITY_EVENT", "MAIL_OUTBOX");
			for (String table : tables) {
				List<String> conditions = new ArrayList<>();
				List<Object> values = new ArrayList<>();
				List<String> binaryColumns = new ArrayList<>();
				try (ResultSet columns = meta.getColumns(null, "PUBLIC", table, "%")) {
					while (columns.next()) {
						String column = columns.getString("COLUMN_NAME");
						if (column.equals("ACCOUNT_ID") && table.equals("ADMIN_LOG")) {
							continue;
						}
						if (column.equals("ACCOUNT_ID") || (table.equals("ACCOUNT") && column.equals("ID"))) {
							conditions.add(quoted(column) + " = ?");
							values.add(accountId);
						}
						else if (text.contains(columns.getInt("DATA_TYPE"))) {
							for (String name : names) {
								conditions.add("lower(" + quoted(column) + ") like ?");
								values.add("%" + name.toLowerCase() + "%");
							}
						}
						else if (binary.contains(columns.getInt("DATA_TYPE"))) {
							binaryColumns.add(column);
						}
					}
				}
				int inBinary = 0;
				for (String column : binaryColumns) {
					for (byte[] data : this.jdbc.queryForList("select " + quoted(column) + " from " + quoted(table)
							+ " where " + quoted(column) + " is not null", byte[].class)) {
						String bytes = new String(data, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase();
						if (java.util.Arrays.stream(names).anyMatch((name) -> bytes.contains(name.toLowerCase()))) {
							inBinary++;
						}
					}
				}
				if (inBinary > 0) {
					found.merge(table, inBinary, Integer::sum);
				}
				if (conditions.isEmpty()) {
					continue;
				}
				String except = table.equals("MAIL_OUTBOX") ? " and id <> " + goodbye : "";
				Integer count = this.jdbc.queryForObject("select count(*) from " + quoted(table) + " where ("
						+ String.join(" or ", conditions) + ")" + except, Integer.class, values.toArray());
				if (count != null && count > 0) {
					found.merge(table, count, Integer::sum);
				}
			}
		}
		return found;
	}

}
