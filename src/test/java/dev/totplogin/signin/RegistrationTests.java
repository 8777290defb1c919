package dev.totplogin.signin;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.hashing.Argon2Properties;
import dev.totplogin.support.MockMvcAppTest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@MockMvcAppTest
class RegistrationTests {

	private static final String GOOD_PASSWORD = "a perfectly long passphrase";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private AccountRepository accounts;

	@Autowired
	private PasswordEncoder passwordEncoder;

	@Autowired
	private Argon2Properties argon2;

	static Stream<Arguments> badForms() {
		return Stream.of(Arguments.of("ab", GOOD_PASSWORD, GOOD_PASSWORD, "3 to 64 characters"),
				Arguments.of("x".repeat(65), GOOD_PASSWORD, GOOD_PASSWORD, "3 to 64 characters"),
				Arguments.of("bad name", GOOD_PASSWORD, GOOD_PASSWORD, "Use only letters"),
				Arguments.of("<script>", GOOD_PASSWORD, GOOD_PASSWORD, "Use only letters"),
				Arguments.of("", GOOD_PASSWORD, GOOD_PASSWORD, "Choose a username"),
				Arguments.of("newuser", "short pass", "short pass", "at least 12 characters"),
				Arguments.of("newuser", "p".repeat(129), "p".repeat(129), "at most 128 characters"),
				Arguments.of("newuser", "my name is NewUser!", "my name is NewUser!", "username in your password"),
				Arguments.of("newuser", GOOD_PASSWORD, GOOD_PASSWORD + "x", "don&#39;t match"),
				Arguments.of("newuser", "", "", "Choose a password"));
	}

	@ParameterizedTest
	@MethodSource("badForms")
	void registerWhenInputBreaksARuleThenFormShownAgainWithMessageAndNothingStored(String username, String password,
			String confirm, String message) throws Exception {
		int before = accountCount();
		this.mvc
			.perform(post("/register").param("username", username)
				.param("password", password)
				.param("confirmPassword", confirm)
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(message)))
			.andExpect(content().string(not(containsString("<script>"))))
			.andExpect(content().string(not(containsString("value=\"" + password + "\""))));
		assertThat(accountCount()).isEqualTo(before);
	}

	@Test
	void registerWhenUsernameTakenInAnotherLetterCaseThenRefused() throws Exception {
		register("Carol", GOOD_PASSWORD).andExpect(redirectedUrl("/setup-2fa"));
		int before = accountCount();
		register("cAROL", GOOD_PASSWORD).andExpect(status().isOk())
			.andExpect(content().string(containsString("That username is taken")));
		assertThat(accountCount()).isEqualTo(before);
	}

	@Test
	void registerWhenUsernameHasSurroundingSpacesThenStoredTrimmed() throws Exception {
		register("  dave.d  ", GOOD_PASSWORD).andExpect(redirectedUrl("/setup-2fa"));
		assertThat(this.accounts.findByUsernameKey("dave.d")).get()
			.extracting(Account::getUsername)
			.isEqualTo("dave.d");
	}

	@Test
	void registerWhenPasswordAcceptedThenStoredAsArgon2idHashOfTheExactText() throws Exception {
		String password = " Ünïcödé pass phrase 🔐 with spaces ";
		register("erin", password).andExpect(redirectedUrl("/setup-2fa"));
		String hash = this.accounts.findByUsernameKey("erin").orElseThrow().getPasswordHash();
		assertThat(hash)
			.startsWith("{argon2}$argon2id$v=19$m=" + this.argon2.memoryKib() + ",t=" + this.argon2.iterations() + ",p="
					+ this.argon2.parallelism() + "$")
			.doesNotContain("pass phrase");
		assertThat(this.passwordEncoder.matches(password, hash)).isTrue();
		assertThat(this.passwordEncoder.matches(password.strip(), hash)).isFalse();
	}

	@Test
	void passwordWhenLongerThan72BytesThenEveryCharacterCounts() throws Exception {
		String password = "the quick brown fox jumps over the lazy dog while seven zebras quietly hum 42x";
		register("frank", password).andExpect(redirectedUrl("/setup-2fa"));
		String hash = this.accounts.findByUsernameKey("frank").orElseThrow().getPasswordHash();
		assertThat(this.passwordEncoder.matches(password, hash)).isTrue();
		assertThat(this.passwordEncoder.matches(password.substring(0, 72), hash)).isFalse();
	}

	private org.springframework.test.web.servlet.ResultActions register(String username, String password)
			throws Exception {
		return this.mvc.perform(post("/register").param("username", username)
			.param("password", password)
			.param("confirmPassword", password)
			.with(csrf()));
	}

	private int accountCount() {
		return this.jdbc.queryForObject("select count(*) from account", Integer.class);
	}

	@Test
	void registerWhenTheUsernameIsEmptyThenOneMessageNotTwo() throws Exception {
		String page = register("", GOOD_PASSWORD, GOOD_PASSWORD);
		assertThat(page).contains("Choose a username");
		assertThat(page.split("id=\"username-error\"").length - 1).isOne();
		assertThat(page.substring(page.indexOf("id=\"username-error\""))).doesNotContain("Use 3 to 64");
	}

	@Test
	void registerWhenTheNameIsTakenOrThePasswordsDifferThenTheUsernameIsKept() throws Exception {
		this.mvc
			.perform(post("/register").param("username", "keptname")
				.param("password", GOOD_PASSWORD)
				.param("confirmPassword", GOOD_PASSWORD)
				.with(csrf()))
			.andExpect(redirectedUrl("/setup-2fa"));
		assertThat(register("KeptName", GOOD_PASSWORD, GOOD_PASSWORD)).contains("That username is taken")
			.contains("value=\"KeptName\"")
			.doesNotContain(GOOD_PASSWORD);
		assertThat(register("othername", GOOD_PASSWORD, GOOD_PASSWORD + "x")).contains("value=\"othername\"")
			.doesNotContain(GOOD_PASSWORD);
	}

	@Test
	void registerWhenAShortUsernameIsPartOfThePassphraseThenAllowedFromFourCharactersRefused() throws Exception {
		this.mvc
			.perform(post("/register").param("username", "sam")
				.param("password", "sunny samba weekend")
				.param("confirmPassword", "sunny samba weekend")
				.with(csrf()))
			.andExpect(redirectedUrl("/setup-2fa"));
		assertThat(register("samb", "sunny samba weekend", "sunny samba weekend"))
			.contains("username in your password");
	}

	@Test
	void strengthWhenAskedThenTheFormsOwnVerdict() throws Exception {
		this.mvc.perform(post("/password/strength").param("password", "passwordpassword").with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().json("{\"acceptable\":false}"))
			.andExpect(content().string(containsString("too easy to guess")));
		this.mvc.perform(post("/password/strength").param("password", "lantern orbit cellar tulip").with(csrf()))
			.andExpect(content().json("{\"acceptable\":true,\"message\":\"Hard to guess: good.\"}"));
		this.mvc
			.perform(post("/password/strength").param("password", "my name is dorothea, hi")
				.param("username", "dorothea")
				.with(csrf()))
			.andExpect(content().string(containsString("username")));
		this.mvc.perform(post("/password/strength").param("password", "x"))
			.andExpect(status().isOk())
			.andExpect(header().doesNotExist("Set-Cookie"));
	}

	private String register(String username, String password, String confirm) throws Exception {
		return this.mvc
			.perform(post("/register").param("username", username)
				.param("password", password)
				.param("confirmPassword", confirm)
				.with(csrf()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

}
