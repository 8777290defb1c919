package dev.totplogin.totp;

import java.time.Instant;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conditional updates that make enrollment and replay protection safe under
 * concurrency, on the real schema.
 */
@DataJpaTest
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class TotpRepositoryTests {

	@Autowired
	private TotpRepository totp;

	@Autowired
	private AccountRepository accounts;

	@Autowired
	private PendingAuthenticatorRepository pending;

	@Autowired
	private JdbcTemplate jdbc;

	private long id;

	@BeforeEach
	void newAccount() {
		this.jdbc.update("delete from pending_authenticator");
		this.jdbc.update("delete from account");
		this.jdbc.update("insert into account (username, username_key, password_hash, created_at) "
				+ "values ('grace', 'grace', '{noop}x', current_timestamp)");
		this.id = this.accounts.findByUsernameKey("grace").orElseThrow().getId();
	}

	@Test
	void enrollWhenNotYetEnrolledThenSecretConfirmedWithItsStepUsed() {
		Instant now = Instant.parse("2026-11-22T10:00:00Z");
		assertThat(this.totp.enroll(this.id, "SECRET", 100, now)).isOne();
		Account account = account();
		assertThat(account.getTotpSecret()).isEqualTo("SECRET");
		assertThat(account.getTotpEnabledAt()).isEqualTo(now);
		assertThat(account.getLastTotpStep()).isEqualTo(100);
		assertThat(this.totp.enroll(this.id, "OTHER", 101, now)).as("enrolled already").isZero();
		assertThat(account().getTotpSecret()).isEqualTo("SECRET");
	}

	@Test
	void enrollWhenStepAlreadyUsedThenRefused() {
		this.totp.useStep(this.id, 100);
		assertThat(this.totp.enroll(this.id, "SECRET", 100, Instant.now())).isZero();
		assertThat(account().getTotpSecret()).isNull();
	}

	@Test
	void replaceWhenNewPhonesStepIsEarlierThenUsedStepsStayUsed() {
		this.totp.enroll(this.id, "OLD", 100, Instant.now());
		assertThat(this.totp.replace(this.id, "NEW", 50, Instant.now())).isOne();
		assertThat(account().getTotpSecret()).isEqualTo("NEW");
		assertThat(account().getLastTotpStep()).isEqualTo(100);
	}

	@Test
	void claimWhenTwoRequestsConfirmOnePendingSecretThenOnlyTheFirstWins() {
		Instant now = Instant.parse("2026-11-22T10:00:00Z");
		PendingAuthenticator pending = this.pending.save(new PendingAuthenticator(this.id,
				PendingAuthenticator.Purpose.ENROLL, "v1.cafe0001.AAAA", "ab".repeat(32), now));
		assertThat(this.pending.claim(pending.getId(), now.minusSeconds(600))).isOne();
		assertThat(this.pending.claim(pending.getId(), now.minusSeconds(600))).isZero();
		PendingAuthenticator expired = this.pending.save(new PendingAuthenticator(this.id,
				PendingAuthenticator.Purpose.ENROLL, "v1.cafe0001.BBBB", "cd".repeat(32), now.minusSeconds(601)));
		assertThat(this.pending.claim(expired.getId(), now.minusSeconds(600))).as("expired").isZero();
	}

	@Test
	void useStepWhenStepNotLaterThanLastUsedThenRefused() {
		assertThat(this.totp.useStep(this.id, 10)).isOne();
		assertThat(this.totp.useStep(this.id, 10)).as("same step").isZero();
		assertThat(this.totp.useStep(this.id, 9)).as("earlier step").isZero();
		assertThat(this.totp.useStep(this.id, 11)).as("later step").isOne();
		assertThat(account().getLastTotpStep()).isEqualTo(11);
	}

	@Test
	void useStepWhenAHintNamedTheStepThenRefusedAndNothingChanges() {
		this.jdbc.update("insert into totp_hinted_step (account_id, step) values (?, ?)", this.id, 20);
		assertThat(this.totp.useStep(this.id, 20)).as("hinted step").isZero();
		assertThat(account().getLastTotpStep()).as("unchanged").isLessThan(20);
		assertThat(this.totp.useStep(this.id, 21)).as("the next step").isOne();
	}

	@Test
	void findWithSecretsNotStartingWithWhenSecretsUnderCurrentKeyThenNotLoaded() {
		this.jdbc.update("insert into account (username, username_key, password_hash, created_at, totp_secret) "
				+ "values ('ada', 'ada', '{noop}x', current_timestamp, 'v1.cafe0001.AAAA')");
		this.jdbc.update("insert into account (username, username_key, password_hash, created_at, totp_secret) "
				+ "values ('alan', 'alan', '{noop}x', current_timestamp, 'v1.0ld0000.BBBB')");
		assertThat(this.totp.findWithSecretsNotStartingWith("v1.cafe0001.")).extracting(Account::getUsername)
			.containsExactly("alan");
		assertThat(this.totp.findWithSecretsNotStartingWith("v1.0ld0000.")).extracting(Account::getUsername)
			.containsExactly("ada");
	}

	private Account account() {
		return this.totp.findById(this.id).orElseThrow();
	}

}
