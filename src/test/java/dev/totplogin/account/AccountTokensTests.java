package dev.totplogin.account;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import dev.totplogin.crypto.Tokens;
import dev.totplogin.account.AccountTokens.Purpose;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;

/** Mail tokens: their form, what is stored of them, expiry and single use. */
@MockMvcAppTest
class AccountTokensTests {

	@Autowired
	private AccountTokens tokens;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void issueWhenCalledThen256RandomBitsInBase64UrlOfWhichOnlyTheHashIsStored() throws Exception {
		long id = account();
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 50; i++) {
			String token = this.tokens.issue(id, Purpose.VERIFY_EMAIL, "t@example.com");
			assertThat(token).matches("[A-Za-z0-9_-]{43}");
			assertThat(java.util.Base64.getUrlDecoder().decode(token)).hasSize(32);
			assertThat(seen.add(token)).as("never the same twice").isTrue();
			assertThat(this.jdbc.queryForObject("select count(*) from account_token where token_hash = ?",
					Integer.class, token))
				.as("the token itself is never stored")
				.isZero();
			assertThat(this.jdbc.queryForObject("select count(*) from account_token where token_hash = ?",
					Integer.class, Tokens.sha256(token)))
				.isOne();
		}
		assertThat(Tokens.sha256("abc")).as("SHA-256, hex")
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

	@Test
	void findWhenExpiredUsedOrOfAnotherPurposeThenNothing() throws Exception {
		long id = account();
		String reset = this.tokens.issue(id, Purpose.RESET_PASSWORD, "t@example.com");
		assertThat(this.tokens.find(reset, Purpose.VERIFY_EMAIL)).as("another purpose").isEmpty();
		AccountTokens.Token found = this.tokens.find(reset, Purpose.RESET_PASSWORD).orElseThrow();
		assertThat(found.accountId()).isEqualTo(id);
		this.clock.advance(Duration.ofMinutes(30).minusSeconds(1));
		assertThat(this.tokens.find(reset, Purpose.RESET_PASSWORD)).as("within 30 minutes").isPresent();
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(this.tokens.find(reset, Purpose.RESET_PASSWORD)).as("after 30 minutes").isEmpty();
		assertThat(this.tokens.use(found)).as("an expired one cannot be used").isFalse();

		String verify = this.tokens.issue(id, Purpose.VERIFY_EMAIL, "t@example.com");
		this.clock.advance(Duration.ofHours(23));
		AccountTokens.Token stillGood = this.tokens.find(verify, Purpose.VERIFY_EMAIL).orElseThrow();
		assertThat(this.tokens.use(stillGood)).isTrue();
		assertThat(this.tokens.use(stillGood)).as("single use").isFalse();
		assertThat(this.tokens.find(verify, Purpose.VERIFY_EMAIL)).isEmpty();
		assertThat(this.tokens.find("not a token", Purpose.VERIFY_EMAIL)).isEmpty();
	}

	@Test
	void issueWhenANewResetIsAskedForThenTheOlderOneIsVoid() throws Exception {
		long id = account();
		String first = this.tokens.issue(id, Purpose.RESET_PASSWORD, "t@example.com");
		String second = this.tokens.issue(id, Purpose.RESET_PASSWORD, "t@example.com");
		assertThat(this.tokens.find(first, Purpose.RESET_PASSWORD)).isEmpty();
		assertThat(this.tokens.find(second, Purpose.RESET_PASSWORD)).isPresent();
	}

	@Test
	void emailKeyWhenAddressesDifferInCaseOrSurroundingSpaceThenTheSame() {
		assertThat(Account.emailKeyOf("  Ada.Lovelace@Example.COM ")).isEqualTo("ada.lovelace@example.com");
		assertThat("two@@example.com").doesNotMatch(EmailFormat.SINGLE_AT);
		assertThat("a@b@example.com").doesNotMatch(EmailFormat.SINGLE_AT);
		assertThat("ada@example.com").matches(EmailFormat.SINGLE_AT);
		assertThat("ada @example.com").doesNotMatch(EmailFormat.SINGLE_AT);
	}

	private long account() throws Exception {
		Person person = new Person(this.mvc, this.clock).register();
		return this.jdbc.queryForObject("select id from account where username = ?", Long.class, person.username());
	}

}
