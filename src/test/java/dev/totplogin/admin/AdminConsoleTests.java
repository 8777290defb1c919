package dev.totplogin.admin;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import dev.totplogin.support.SoftwareAuthenticator;
import dev.totplogin.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The admin console over MockMvc: who may reach it (every route enumerated), fresh proof,
 * CSRF, the aal2 rule, and each action's effect, audit, admin log and mail.
 */
@MockMvcAppTest
class AdminConsoleTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private List<SecurityFilterChain> chains;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping mappings;

	@Test
	void everyAdminRouteWhenSignedInWithoutTheRoleThen403() throws Exception {
		Person target = new Person(this.mvc, this.clock).signedUp();
		Person someone = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		someone.post("/account/confirm", "code", someone.currentCode());
		List<String> routes = adminRoutes(id(target));
		assertThat(routes).as("every handler under /admin, GET and POST").hasSizeGreaterThanOrEqualTo(14);
		for (String route : routes) {
			String[] methodAndPath = route.split(" ", 2);
			someone.perform(MockMvcRequestBuilders.request(HttpMethod.valueOf(methodAndPath[0]), methodAndPath[1]))
				.andExpect(status().isForbidden());
		}
		assertThat(disabled(target)).isFalse();
		assertThat(this.jdbc.queryForObject("select count(*) from admin_log where account_id = ?", Integer.class,
				id(target)))
			.isZero();
	}

	@Test
	void allowedNetworksWhenInTheChainThenBeforeTheCsrfCheck() {
		// A POST without a token from outside must get 404, not the CSRF check's 403.
		SecurityFilterChain chain = this.chains.stream()
			.filter((candidate) -> candidate.getFilters().stream().anyMatch(AllowedNetworks.class::isInstance))
			.findFirst()
			.orElseThrow();
		List<Class<?>> filters = chain.getFilters().stream().<Class<?>>map(Object::getClass).toList();
		assertThat(filters.indexOf(AllowedNetworks.class)).isNotNegative()
			.isLessThan(filters.indexOf(CsrfFilter.class));
	}

	@Test
	void consoleWhenNotSignedInThenSentToSignIn() throws Exception {
		this.mvc.perform(MockMvcRequestBuilders.get("/admin")).andExpect(redirectedUrl("/login"));
	}

	@Test
	void searchWhenAdminThenFindsByUsernameOrVerifiedAddressPrefixWithNoStoreAndTheConsolesPolicy() throws Exception {
		Person admin = admin();
		Person target = new Person(this.mvc, this.clock).signedUp();
		verifyEmail(target, target.username() + "@mail.example");
		admin.get("/admin?q=" + target.username().substring(0, target.username().length() - 1).toUpperCase())
			.andExpect(status().isOk())
			.andExpect(header().string("Cache-Control", containsString("no-store")))
			.andExpect(header().string("Content-Security-Policy", containsString("default-src 'none'")))
			.andExpect(content().string(containsString(">" + target.username() + "<")));
		admin.get("/admin?q=" + target.username() + "@mail.ex")
			.andExpect(content().string(containsString(">" + target.username() + "<")));
		admin.get("/admin?q=x").andExpect(content().string(containsString("at least two characters")));
		admin.get("/account")
			.andExpect(header().string("Content-Security-Policy", not(containsString("default-src 'none'"))));
	}

	@Test
	void accountPageWhenAdminThenShowsStatusSessionsAndHistory() throws Exception {
		Person admin = admin();
		Person target = new Person(this.mvc, this.clock).signedUp();
		admin.get("/admin/accounts/" + id(target))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Account " + target.username())))
			.andExpect(content().string(containsString("level aal2")))
			.andExpect(content().string(containsString("Two-factor authentication turned on")))
			.andExpect(content().string(not(containsString(target.secret()))));
	}

	@Test
	void actionWhenNoFreshProofThenSentToConfirmAndNothingChanges() throws Exception {
		Person admin = admin();
		Person target = new Person(this.mvc, this.clock).signedUp();
		admin.afterFreshProofEnded();
		admin.post("/admin/accounts/" + id(target) + "/disable").andExpect(redirectedUrl("/admin/confirm"));
		admin.get("/admin/confirm").andExpect(content().string(containsString("with a current code first")));
		assertThat(disabled(target)).isFalse();
		// Five minutes, not the account page's ten.
		confirm(admin);
		this.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
		admin.post("/admin/accounts/" + id(target) + "/disable").andExpect(redirectedUrl("/admin/confirm"));
		assertThat(disabled(target)).isFalse();
	}

	/**
	 * An administrator who confirms with a security key: the console's page offers the
	 * account page's ceremony, and its answer is the fresh proof the actions need.
	 */
	@Test
	void confirmWhenWithTheAdministratorsSecurityKeyThenActionsAreAllowed() throws Exception {
		Person admin = admin();
		SoftwareAuthenticator key = new SoftwareAuthenticator("http://localhost:8080");
		String options = json(admin, "/webauthn/register/options?kind=security-key", "").andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		json(admin, "/webauthn/register", key.register(options, "Admin key")).andExpect(status().isOk());
		Person target = new Person(this.mvc, this.clock).signedUp();
		admin.afterFreshProofEnded();
		admin.post("/admin/accounts/" + id(target) + "/disable").andExpect(redirectedUrl("/admin/confirm"));
		admin.get("/admin/confirm")
			.andExpect(content().string(containsString("Confirm with a security key")))
			.andExpect(content().string(containsString("data-after=\"/admin/confirm\"")));

		String challenge = json(admin, "/webauthn/authenticate/options", "").andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		json(admin, "/login/webauthn", key.assertion(challenge)).andExpect(status().isOk())
			.andExpect(jsonPath("$.authenticated").value(true));
		admin.get("/admin/confirm").andExpect(content().string(containsString("no code needed until")));
		admin.post("/admin/accounts/" + id(target) + "/disable")
			.andExpect(redirectedUrl("/admin/accounts/" + id(target)));
		assertThat(disabled(target)).isTrue();
		assertThat(TestAccounts.eventsOf(this.jdbc, admin.username())).contains("SECURITY_KEY_CONFIRMED");
	}

	@Test
	void actionWhenTheCsrfTokenIsMissingThen403AndNothingChanges() throws Exception {
		Person admin = admin();
		Person target = new Person(this.mvc, this.clock).signedUp();
		this.mvc
			.perform(MockMvcRequestBuilders.post("/admin/accounts/" + id(target) + "/disable").session(admin.session()))
			.andExpect(status().isForbidden());
		assertThat(disabled(target)).isFalse();
	}

	@Test
	void consoleWhenSignedInOnATrustedBrowserThen403SayingToSignInWithTheCode() throws Exception {
		Person admin = admin();
		this.clock.advance(Duration.ofSeconds(30));
		admin.signIn().andExpect(redirectedUrl("/verify-2fa"));
		admin
			.perform(MockMvcRequestBuilders.post("/verify-2fa")
				.param("code", admin.currentCode())
				.param("rememberBrowser", "true"))
			.andExpect(redirectedUrl("/"));
		assertThat(admin.signInOnThisBrowser()).as("the trusted browser stands in for the code").isEqualTo("/");
		// MockMvc renders no error page: the reason the error page shows is asserted.
		admin.get("/admin")
			.andExpect(status().isForbidden())
			.andExpect(request().attribute(AdminGate.ERROR_REASON, "admin.aal2Required"));
	}

	@Test
	void revokeWhenTheAdminIsSignedInThenTheNextRequestIsRefused() throws Exception {
		Person admin = admin();
		admin.get("/admin").andExpect(status().isOk());
		this.jdbc.update("update account set admin = false where username = ?", admin.username());
		admin.get("/admin").andExpect(status().isForbidden());
	}

	@Test
	void disableWhenConfirmedThenSessionsEndAndSignInIsRefusedWithTheOrdinaryMessageUntilEnabled() throws Exception {
		Person admin = admin();
		Person target = new Person(this.mvc, this.clock).signedUp();
		verifyEmail(target, target.username() + "@mail.example");
		admin.get("/admin/accounts/" + id(target) + "/disable")
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("can no longer sign in")));
		admin.post("/admin/accounts/" + id(target) + "/disable")
			.andExpect(redirectedUrl("/admin/accounts/" + id(target)))
			.andExpect(flash().attribute("info", "admin.done.disable"));
		target.get("/account").andExpect(redirectedUrl("/login"));
		assertThat(this.jdbc.queryForObject("select count(*) from signed_in_session where account_id = ?",
				Integer.class, id(target)))
			.isZero();
		this.clock.advance(Duration.ofSeconds(30));
		target.signIn().andExpect(redirectedUrl("/login"));
		// The ordinary wrong-password message: nothing says the account is disabled.
		target.get("/login").andExpect(content().string(containsString("match an account. Check both and try again.")));
		assertThat(TestAccounts.eventsOf(this.jdbc, target.username())).contains("ACCOUNT_DISABLED",
				"REFUSED_WHILE_DISABLED");
		assertThat(adminLog(target)).containsExactly("disable");
		assertThat(subjectsTo(target.username() + "@mail.example")).contains("Your account was disabled");

		admin.post("/admin/accounts/" + id(target) + "/enable")
			.andExpect(flash().attribute("info", "admin.done.enable"));
		target.signedInAgain();
		target.get("/account").andExpect(status().isOk());
		assertThat(adminLog(target)).containsExactly("enable", "disable");
	}

	@Test
	void codeStepWhenTheAccountWasDisabledAfterThePasswordStepThenTheSignInDoesNotComplete() throws Exception {
		Person target = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		Person other = target.anotherBrowser();
		other.signIn().andExpect(redirectedUrl("/verify-2fa"));
		// What a disable racing the password step leaves: a pending session carrying the
		// epoch the disable raised (here: the epoch kept, the account disabled).
		this.jdbc.update("update account set disabled_at = current_timestamp where id = ?", id(target));
		other.code(other.currentCode()).andExpect(redirectedUrl("/login"));
		other.get("/account").andExpect(redirectedUrl("/login"));
		// Only the row of the sign-up's own session.
		assertThat(this.jdbc.queryForObject("select count(*) from signed_in_session where account_id = ?",
				Integer.class, id(target)))
			.isOne();
		assertThat(TestAccounts.eventsOf(this.jdbc, target.username())).containsOnlyOnce("SIGNED_IN");
	}

	@Test
	void disableAndResetWhenTheTargetIsTheActingAdminThenRefusedAndNothingChanges() throws Exception {
		Person admin = admin();
		for (String action : List.of("disable", "reset-2fa")) {
			admin.post("/admin/accounts/" + id(admin) + "/" + action)
				.andExpect(redirectedUrl("/admin/accounts/" + id(admin)))
				.andExpect(flash().attribute("alert", "admin.done.notYourself"));
		}
		assertThat(disabled(admin)).isFalse();
		assertThat(adminLog(admin)).isEmpty();
		assertThat(TestAccounts.eventsOf(this.jdbc, admin.username())).doesNotContain("ACCOUNT_DISABLED",
				"ADMIN_RESET");
		admin.get("/admin").andExpect(status().isOk());
	}

	@Test
	void resetSecondFactorWhenConfirmedThenTheNextSignInSetsUpANewAuthenticator() throws Exception {
		Person admin = admin();
		Person target = new Person(this.mvc, this.clock).signedUp();
		admin.post("/admin/accounts/" + id(target) + "/reset-2fa")
			.andExpect(flash().attribute("info", "admin.done.reset2fa"));
		target.get("/account").andExpect(redirectedUrl("/login"));
		this.clock.advance(Duration.ofSeconds(30));
		target.signIn().andExpect(redirectedUrl("/setup-2fa"));
		assertThat(this.jdbc.queryForObject(
				"select detail from security_event e join account a on a.id = "
						+ "e.account_id where a.username = ? and e.event_type = 'ADMIN_RESET'",
				String.class, target.username()))
			.isEqualTo("second factor reset by an administrator")
			.doesNotContain(admin.username());
		assertThat(adminLog(target)).containsExactly("reset-2fa");
	}

	@Test
	void unlockWhenTheSecondFactorIsLockedThenTheNextRightCodeSignsIn() throws Exception {
		Person admin = admin();
		Person target = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		target.signIn().andExpect(redirectedUrl("/verify-2fa"));
		for (int i = 0; i < 5; i++) {
			target.code(target.wrongCode());
		}
		assertThat(admin.get("/admin/accounts/" + id(target)).andReturn().getResponse().getContentAsString())
			.containsPattern("id=\"second-factor-lock\">Until ");
		admin.post("/admin/accounts/" + id(target) + "/unlock")
			.andExpect(flash().attribute("info", "admin.done.unlock.both"));
		admin.get("/admin/accounts/" + id(target))
			.andExpect(content().string(containsString("id=\"second-factor-lock\">No<")));
		target.code(target.currentCode()).andExpect(redirectedUrl("/"));
		assertThat(TestAccounts.eventsOf(this.jdbc, target.username())).contains("ADMIN_UNLOCKED");
	}

	@Test
	void unlockWhenOneLockIsChosenThenOnlyThatOneIsLiftedAndTheHistoryAndMailSayWhich() throws Exception {
		Person admin = admin();
		Person target = new Person(this.mvc, this.clock).signedUp();
		String address = target.username() + "@mail.example";
		verifyEmail(target, address);
		this.clock.advance(Duration.ofSeconds(30));
		target.signIn().andExpect(redirectedUrl("/verify-2fa"));
		for (int i = 0; i < 5; i++) {
			target.code(target.wrongCode());
		}
		assertThat(this.jdbc.update(
				"update auth_throttle set failed_attempts = 10, lock_count = 1, locked_until = ? "
						+ "where account_id = ? and factor = 'PASSWORD'",
				Timestamp.from(this.clock.instant().plusSeconds(600)), id(target)))
			.isOne();
		String account = "/admin/accounts/" + id(target);
		admin.post(account + "/unlock", "locks", "nothing")
			.andExpect(flash().attribute("alert", "admin.unlock.unknown"));
		assertThat(adminLog(target)).isEmpty();

		admin.post(account + "/unlock", "locks", "second-factor")
			.andExpect(flash().attribute("info", "admin.done.unlock.second_factor"));
		assertThat(admin.get(account).andReturn().getResponse().getContentAsString())
			.containsPattern("id=\"password-lock\">Until ")
			.contains("id=\"second-factor-lock\">No<");
		assertThat(subjectsTo(address)).contains("The second-factor lock on your account was lifted");

		admin.post(account + "/unlock", "locks", "password")
			.andExpect(flash().attribute("info", "admin.done.unlock.password"));
		admin.get(account).andExpect(content().string(containsString("id=\"password-lock\">No<")));
		assertThat(subjectsTo(address)).contains("The password lock on your account was lifted");
		assertThat(this.jdbc.queryForList("select detail from security_event where account_id = ? and event_type = "
				+ "'ADMIN_UNLOCKED' order by id", String.class, id(target)))
			.containsExactly("second factor by an administrator", "password by an administrator");
		assertThat(this.jdbc.queryForList("select detail from admin_log where account_id = ? order by id", String.class,
				id(target)))
			.containsExactly("second factor", "password");
		target.signedInAgain();
		target.get("/account").andExpect(status().isOk());
	}

	@Test
	void endSessionsWhenConfirmedThenThePersonsNextRequestGoesToSignIn() throws Exception {
		Person admin = admin();
		Person phone = new Person(this.mvc, this.clock).signedUp();
		Person laptop = phone.anotherBrowser().signedInAgain();
		String laptopRef = this.jdbc.queryForObject(
				"select id from signed_in_session where account_id = ? order by signed_in_at desc fetch first 1 rows only",
				String.class, id(phone));
		admin.post("/admin/accounts/" + id(phone) + "/sessions/" + laptopRef + "/end")
			.andExpect(flash().attribute("info", "admin.done.endSession"));
		laptop.get("/account").andExpect(redirectedUrl("/login"));
		phone.get("/account").andExpect(status().isOk());

		admin.post("/admin/accounts/" + id(phone) + "/end-all-sessions")
			.andExpect(flash().attribute("info", "admin.done.endAllSessions"));
		phone.get("/account").andExpect(redirectedUrl("/login"));
		admin.get("/admin").andExpect(status().isOk());
		assertThat(adminLog(phone)).containsExactly("end-all-sessions", "end-session");
	}

	@Test
	void endEverySessionWhenConfirmedThenEveryoneSignsInAgainTheAdminToo() throws Exception {
		Person admin = admin();
		Person someone = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		someone.signIn().andExpect(redirectedUrl("/verify-2fa"));
		someone
			.perform(MockMvcRequestBuilders.post("/verify-2fa")
				.param("code", someone.currentCode())
				.param("rememberBrowser", "true"))
			.andExpect(redirectedUrl("/"));
		assertThat(trustedBrowsers(someone)).isOne();
		admin.get("/admin/end-every-session")
			.andExpect(content().string(containsString("Every session of every account ends now, yours too")));
		admin.post("/admin/end-every-session").andExpect(redirectedUrl("/login"));
		someone.get("/account").andExpect(redirectedUrl("/login"));
		admin.get("/admin").andExpect(redirectedUrl("/login"));
		assertThat(this.jdbc.queryForObject("select count(*) from signed_in_session", Integer.class)).isZero();
		assertThat(this.jdbc.queryForList("select action from admin_log where account_id is null", String.class))
			.contains("end-every-session");
		// A stolen password with the trusted browser's cookie does not sign straight back
		// in.
		assertThat(trustedBrowsers(someone)).isZero();
		assertThat(someone.signInOnThisBrowser()).isNull();
	}

	private int trustedBrowsers(Person person) {
		return this.jdbc.queryForObject("select count(*) from trusted_browser where account_id = ?", Integer.class,
				id(person));
	}

	@Test
	void sendResetLinkWhenTheAddressIsVerifiedThenMailedElseRefusedWithoutALink() throws Exception {
		Person admin = admin();
		Person unverified = new Person(this.mvc, this.clock).signedUp();
		admin.post("/admin/accounts/" + id(unverified) + "/send-reset-link")
			.andExpect(flash().attribute("alert", "admin.done.noResetLink"));
		Person target = new Person(this.mvc, this.clock).signedUp();
		String address = target.username() + "@mail.example";
		verifyEmail(target, address);
		admin.post("/admin/accounts/" + id(target) + "/send-reset-link")
			.andExpect(flash().attribute("info", "admin.done.resetLink"));
		assertThat(this.jdbc.queryForObject("select count(*) from mail_outbox where recipient = ? and text_body "
				+ "like '%/password/reset?token=%'", Integer.class, address))
			.isOne();
		assertThat(adminLog(target)).containsExactly("send-reset-link");
		assertThat(adminLog(unverified)).isEmpty();
	}

	@Test
	void adminLogWhenActionsWereTakenThenListsThemWithTheAdministratorsName() throws Exception {
		Person admin = admin();
		Person target = new Person(this.mvc, this.clock).signedUp();
		admin.post("/admin/accounts/" + id(target) + "/unlock");
		admin.get("/admin/log")
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(">" + admin.username() + "<")))
			.andExpect(content().string(containsString("Lift the locks")))
			.andExpect(content().string(containsString(">" + target.username() + "<")));
	}

	/** Signed up, granted the role, and a code confirmed in the console. */
	private Person admin() throws Exception {
		Person admin = new Person(this.mvc, this.clock).signedUp();
		this.jdbc.update("update account set admin = true where username = ?", admin.username());
		confirm(admin);
		return admin;
	}

	private void confirm(Person admin) throws Exception {
		this.clock.advance(Duration.ofSeconds(30));
		admin.post("/admin/confirm", "code", admin.currentCode())
			.andExpect(redirectedUrl("/admin"))
			.andExpect(flash().attribute("info", "admin.confirm.done"));
	}

	private static ResultActions json(Person person, String path, String body) throws Exception {
		return person.perform(MockMvcRequestBuilders.post(path).contentType(MediaType.APPLICATION_JSON).content(body));
	}

	private long id(Person person) {
		return this.jdbc.queryForObject("select id from account where username = ?", Long.class, person.username());
	}

	private boolean disabled(Person person) {
		return this.jdbc.queryForObject("select disabled_at is not null from account where username = ?", Boolean.class,
				person.username());
	}

	private List<String> adminLog(Person person) {
		return this.jdbc.queryForList("select action from admin_log where account_id = ? order by id desc",
				String.class, id(person));
	}

	private List<String> subjectsTo(String address) {
		return this.jdbc.queryForList("select subject from mail_outbox where recipient = ?", String.class, address);
	}

	private void verifyEmail(Person person, String address) {
		this.jdbc.update("update account set email = ?, email_key = ?, email_verified_at = current_timestamp "
				+ "where username = ?", address, address.toLowerCase(), person.username());
	}

	/**
	 * Every handler method under /admin, from Spring MVC's own mappings, as "METHOD path"
	 * with its path variables filled in; a mapping without methods counts as GET and
	 * POST.
	 */
	private List<String> adminRoutes(long accountId) {
		List<String> routes = new ArrayList<>();
		for (RequestMappingInfo info : this.mappings.getHandlerMethods().keySet()) {
			Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
			for (String pattern : info.getPatternValues()) {
				if (!pattern.equals("/admin") && !pattern.startsWith("/admin/")) {
					continue;
				}
				String path = pattern.replace("{id}", String.valueOf(accountId))
					.replace("{ref}", "some-session")
					.replaceAll("\\{action:([a-z0-9-]+)[^}]*}", "$1");
				assertThat(path).as(pattern).doesNotContain("{");
				for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET, RequestMethod.POST)
						: methods) {
					routes.add(method.name() + " " + path);
				}
			}
		}
		return routes;
	}

}
