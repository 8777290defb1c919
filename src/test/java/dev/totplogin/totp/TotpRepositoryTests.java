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
	private JdbcTemplate jdbc;

	private long id;

	@BeforeEach
	void newAccount() {
		this.jdbc.update("delete from account");
		this.jdbc.update("insert into account (username, username_key, password_hash, created_at) "
				+ "values ('grace', 'grace', '{noop}x', current_timestamp)");
		this.id = this.accounts.findByUsernameKey("grace").orElseThrow().getId();
	}

	@Test
	void beginEnrollmentWhenSecretAlreadyPendingThenKeepsTheFirst() {
		assertThat(this.totp.beginEnrollment(this.id, "FIRST")).isOne();
		assertThat(this.totp.beginEnrollment(this.id, "SECOND")).isZero();
		assertThat(account().getPendingTotpSecret()).isEqualTo("FIRST");
	}

	@Test
	void confirmEnrollmentWhenPendingSecretMatchesThenMovedToConfirmedWithStepUsed() {
		this.totp.beginEnrollment(this.id, "SECRET");
		Instant now = Instant.parse("2026-11-22T10:00:00Z");
		assertThat(this.totp.confirmEnrollment(this.id, "SECRET", 100, now)).isOne();
		Account account = account();
		assertThat(account.getTotpSecret()).isEqualTo("SECRET");
		assertThat(account.getPendingTotpSecret()).isNull();
		assertThat(account.getTotpEnabledAt()).isEqualTo(now);
		assertThat(account.getLastTotpStep()).isEqualTo(100);
		assertThat(this.totp.confirmEnrollment(this.id, "SECRET", 101, now)).as("nothing pending any more").isZero();
	}

	@Test
	void beginEnrollmentWhenAlreadyEnrolledThenNoNewSecret() {
		this.totp.beginEnrollment(this.id, "SECRET");
		this.totp.confirmEnrollment(this.id, "SECRET", 100, Instant.now());
		assertThat(this.totp.beginEnrollment(this.id, "OTHER")).isZero();
		assertThat(account().getPendingTotpSecret()).isNull();
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
	void findWithSecretsNotStartingWithWhenSecretsUnderCurrentKeyThenNotLoaded() {
		this.jdbc.update("insert into account (username, username_key, password_hash, created_at, totp_secret) "
				+ "values ('ada', 'ada', '{noop}x', current_timestamp, 'v1.cafe0001.AAAA')");
		this.jdbc.update("insert into account (username, username_key, password_hash, created_at, totp_secret) "
				+ "values ('alan', 'alan', '{noop}x', current_timestamp, 'v1.0ld0000.BBBB')");
		this.jdbc.update("insert into account (username, username_key, password_hash, created_at, "
				+ "pending_totp_secret) values ('edsger', 'edsger', '{noop}x', current_timestamp, 'v1.0ld0000.CCCC')");
		assertThat(this.totp.findWithSecretsNotStartingWith("v1.cafe0001.")).extracting(Account::getUsername)
			.containsExactlyInAnyOrder("alan", "edsger");
		assertThat(this.totp.findWithSecretsNotStartingWith("v1.0ld0000.")).extracting(Account::getUsername)
			.containsExactly("ada");
	}

	private Account account() {
		return this.totp.findById(this.id).orElseThrow();
	}

}
