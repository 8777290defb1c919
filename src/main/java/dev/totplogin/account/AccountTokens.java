package dev.totplogin.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.totplogin.crypto.Tokens;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Single-use tokens sent by mail: 256 bits from {@code SecureRandom}, base64url, of which
 * only the SHA-256 is stored, with its purpose, account, the address it was sent to,
 * expiry and use. A token is used by one conditional UPDATE, so of many requests with the
 * same token exactly one gets through.
 */
@Service
public class AccountTokens {

	public enum Purpose {

		/** Confirms an email address; 24 hours. */
		VERIFY_EMAIL(Duration.ofHours(24)),
		/** Resets the password (the second factor is still asked); 30 minutes. */
		RESET_PASSWORD(Duration.ofMinutes(30));

		private final Duration validity;

		Purpose(Duration validity) {
			this.validity = validity;
		}

		public Duration validity() {
			return this.validity;
		}

	}

	/**
	 * A token that can still be used.
	 *
	 * @param id its row
	 * @param accountId whose
	 * @param email the address it was sent to
	 */
	public record Token(long id, long accountId, String email) {
	}

	/**
	 * What a token looks like in a link: anything else is refused before the database is
	 * asked.
	 */
	private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");

	private final JdbcTemplate jdbc;

	private final Clock clock;

	AccountTokens(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * A new token for the account, sent to {@code email}; it voids the account's older
	 * ones of the same purpose.
	 * @return the token itself, for the link: it is never stored
	 */
	@Transactional
	public String issue(long accountId, Purpose purpose, String email) {
		Instant now = this.clock.instant();
		// One outstanding token per purpose: an earlier link (say, to a mistyped address)
		// stops working.
		voidOutstanding(accountId, purpose);
		String token = Tokens.random(32);
		this.jdbc.update(
				"insert into account_token (account_id, purpose, token_hash, email, created_at, expires_at) "
						+ "values (?, ?, ?, ?, ?, ?)",
				accountId, purpose.name(), Tokens.sha256(token), email, Timestamp.from(now),
				Timestamp.from(now.plus(purpose.validity())));
		return token;
	}

	/** The token, if it is well formed, of this purpose, unused and not expired. */
	public Optional<Token> find(String token, Purpose purpose) {
		if (token == null || !FORMAT.matcher(token).matches()) {
			return Optional.empty();
		}
		return this.jdbc
			.query("select id, account_id, email from account_token where token_hash = ? and purpose = ? "
					+ "and used_at is null and expires_at > ?",
					(row, n) -> new Token(row.getLong("id"), row.getLong("account_id"), row.getString("email")),
					Tokens.sha256(token), purpose.name(), Timestamp.from(this.clock.instant()))
			.stream()
			.findFirst();
	}

	/** The token with this id, if it is of this purpose, unused and not expired. */
	public Optional<Token> find(long id, Purpose purpose) {
		return this.jdbc
			.query("select id, account_id, email from account_token where id = ? and purpose = ? "
					+ "and used_at is null and expires_at > ?",
					(row, n) -> new Token(row.getLong("id"), row.getLong("account_id"), row.getString("email")), id,
					purpose.name(), Timestamp.from(this.clock.instant()))
			.stream()
			.findFirst();
	}

	/**
	 * Uses the token: true for the one request that does, false if it is used, voided or
	 * expired.
	 */
	public boolean use(Token token) {
		Timestamp now = Timestamp.from(this.clock.instant());
		return this.jdbc.update(
				"update account_token set used_at = ? where id = ? and used_at is null and expires_at > ?", now,
				token.id(), now) == 1;
	}

	/**
	 * Voids the account's unused tokens of every purpose (a new address, an operator
	 * reset).
	 */
	public void voidAll(long accountId) {
		this.jdbc.update("update account_token set used_at = ? where account_id = ? and used_at is null",
				Timestamp.from(this.clock.instant()), accountId);
	}

	/** Deletes the account's tokens, used or not (the account is being deleted). */
	void deleteAll(long accountId) {
		this.jdbc.update("delete from account_token where account_id = ?", accountId);
	}

	/** The address of the account's newest unused verification, if one is waiting. */
	public Optional<String> pendingEmail(long accountId) {
		return this.jdbc
			.queryForList(
					"select email from account_token where account_id = ? and purpose = ? and used_at is null "
							+ "and expires_at > ? order by id desc",
					String.class, accountId, Purpose.VERIFY_EMAIL.name(), Timestamp.from(this.clock.instant()))
			.stream()
			.findFirst();
	}

	/**
	 * Voids the account's unused tokens of one purpose (a new password: its reset links).
	 */
	public void voidOutstanding(long accountId, Purpose purpose) {
		this.jdbc.update(
				"update account_token set used_at = ? where account_id = ? and purpose = ? and used_at is null",
				Timestamp.from(this.clock.instant()), accountId, purpose.name());
	}

}
