package dev.totplogin.admin;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.totplogin.audit.ClientInfo;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What administrators did, and whom: one row per action, naming the administrator (or the
 * command line) and the account by id, never a secret. The account's own history records
 * the same action "by an administrator", without the name.
 */
@Component
class AdminLog {

	static final int PAGE = 50;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	AdminLog(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * @param admin the administrator's account, or null for the command line
	 * @param accountId the account acted on, or null for every account
	 */
	void record(Long admin, String action, Long accountId, String detail) {
		this.jdbc.update(
				"insert into admin_log (occurred_at, admin_account_id, action, account_id, detail, ip_address) "
						+ "values (?, ?, ?, ?, ?, ?)",
				Timestamp.from(this.clock.instant()), admin, action, accountId, detail,
				ClientInfo.current().ipAddress());
	}

	/**
	 * A page of the log, newest first, with the names of the administrator and the
	 * account as they are now.
	 * @param before the id to start below, or null for the newest
	 */
	List<Entry> page(Long before) {
		return this.jdbc.query("select l.id, l.occurred_at, l.action, l.detail, l.ip_address, l.admin_account_id, "
				+ "l.account_id, ad.username as admin_name, ac.username as account_name from admin_log l "
				+ "left join account ad on ad.id = l.admin_account_id left join account ac on ac.id = l.account_id "
				+ "where l.id < ? order by l.id desc fetch first " + PAGE + " rows only",
				(row, n) -> new Entry(row.getLong("id"), row.getTimestamp("occurred_at").toInstant(),
						row.getString("action"), row.getString("detail"), row.getString("ip_address"),
						(Long) row.getObject("admin_account_id", Long.class), row.getString("admin_name"),
						(Long) row.getObject("account_id", Long.class), row.getString("account_name")),
				(before != null) ? before : Long.MAX_VALUE);
	}

	/** One line of the log; a null administrator is the command line. */
	record Entry(long id, Instant occurredAt, String action, String detail, String ipAddress, Long adminId,
			String adminName, Long accountId, String accountName) {
	}

}
