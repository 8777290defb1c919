package dev.totplogin.web;

import java.sql.Timestamp;
import java.time.Instant;

import dev.totplogin.account.AccountTokens;
import dev.totplogin.recovery.RemainingRecoveryCodes;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the home page shows of the account, read in one statement (issue 32: a view of it
 * costs the session's read, the sign-in's validity and this): not the account's entity, a
 * count of its recovery codes and a read of its tokens, but the two columns, the count
 * and the address the page needs.
 *
 * @param recoveryCodesSaved the person confirmed the current recovery codes saved
 * @param totpEnabledAt when the authenticator app was set up
 * @param recoveryCodes how many recovery codes are left
 * @param pendingEmail an address waiting for its link (as
 * {@link AccountTokens#pendingEmail}), or null
 */
record HomeSummary(boolean recoveryCodesSaved, Instant totpEnabledAt, RemainingRecoveryCodes recoveryCodes,
		String pendingEmail) {

	private static final String QUERY = "select a.recovery_codes_saved, a.totp_enabled_at, "
			+ "(select count(*) from recovery_code r where r.account_id = a.id and r.used_at is null), %s "
			+ "from account a where a.id = ?";

	private static final String PENDING_EMAIL = "(select t.email from account_token t where t.account_id = a.id "
			+ "and t.purpose = ? and t.used_at is null and t.expires_at > ? order by t.id desc fetch first 1 rows only)";

	private static final String WITH_PENDING_EMAIL = QUERY.formatted(PENDING_EMAIL);

	private static final String WITHOUT_PENDING_EMAIL = QUERY.formatted("null");

	/**
	 * @param withPendingEmail whether to look for an address waiting for its link (only
	 * where mail is on)
	 */
	static HomeSummary of(JdbcTemplate jdbc, long accountId, boolean withPendingEmail, Instant now) {
		Object[] arguments = withPendingEmail
				? new Object[] { AccountTokens.Purpose.VERIFY_EMAIL.name(), Timestamp.from(now), accountId }
				: new Object[] { accountId };
		return jdbc.queryForObject(withPendingEmail ? WITH_PENDING_EMAIL : WITHOUT_PENDING_EMAIL,
				(row, n) -> new HomeSummary(row.getBoolean(1), instant(row.getTimestamp(2)),
						new RemainingRecoveryCodes(row.getLong(3)), row.getString(4)),
				arguments);
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
