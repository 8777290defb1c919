package dev.totplogin.oidc;

import java.time.Instant;
import java.util.List;

import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventRecorded;
import dev.totplogin.audit.SecurityEventType;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The applications an account is signed in to through this provider, for the account
 * page, and "sign out of this application": its authorizations removed (refresh tokens
 * revoked) and a back-channel logout sent if it takes one, as when the session ends.
 */
@Service
public class SignedInApplications {

	/** One application, with when it was first and last given a sign-in. */
	public record Application(String clientId, Instant firstSignIn, Instant lastSignIn, int sessions) {
	}

	private final JdbcTemplate jdbc;

	private final ClientSessions clientSessions;

	private final TransactionTemplate transactions;

	private final BackChannelLogout logouts;

	private final AuditLog audit;

	SignedInApplications(JdbcTemplate jdbc, ClientSessions clientSessions, TransactionTemplate transactions,
			BackChannelLogout logouts, AuditLog audit) {
		this.jdbc = jdbc;
		this.clientSessions = clientSessions;
		this.transactions = transactions;
		this.logouts = logouts;
		this.audit = audit;
	}

	public List<Application> of(long accountId) {
		return this.jdbc.query("select client_id, min(signed_in_at), max(signed_in_at), count(distinct session_ref) "
				+ "from oidc_client_session where account_id = ? group by client_id order by max(signed_in_at) desc",
				(row, n) -> new Application(row.getString(1), row.getTimestamp(2).toInstant(),
						row.getTimestamp(3).toInstant(), row.getInt(4)),
				accountId);
	}

	/**
	 * The account is being deleted, in the caller's transaction: every application it
	 * signed in to is signed out (authorizations and their refresh tokens removed,
	 * back-channel logouts queued with the {@code sub} they need, sent after the commit),
	 * and its {@code sub} is forgotten.
	 */
	public void forgetAccount(long accountId, String username) {
		String subject = this.jdbc
			.queryForList("select subject from oidc_subject where account_id = ?", String.class, accountId)
			.stream()
			.findFirst()
			.orElse(null);
		this.clientSessions.end(this.clientSessions.of(accountId), this.transactions, this.logouts, subject);
		// Anything not tied to a signed-in session (a code not yet exchanged).
		this.jdbc.update("delete from oauth2_authorization where principal_name = ?", username);
		this.jdbc.update("delete from oidc_subject where account_id = ?", accountId);
	}

	/**
	 * An administrator disabled the account: in the disable's own transaction (the event
	 * is published inside it), every application it signed in to is signed out as at
	 * deletion, so a refresh token or a code not yet exchanged fails at once rather than
	 * after the sweep; its {@code sub} stays, the account may be enabled again.
	 */
	@EventListener
	void onSecurityEvent(SecurityEventRecorded event) {
		if (event.type() != SecurityEventType.ACCOUNT_DISABLED || event.accountId() == null) {
			return;
		}
		long accountId = event.accountId();
		String subject = this.jdbc
			.queryForList("select subject from oidc_subject where account_id = ?", String.class, accountId)
			.stream()
			.findFirst()
			.orElse(null);
		this.clientSessions.end(this.clientSessions.of(accountId), this.transactions, this.logouts, subject);
		this.jdbc.update("delete from oauth2_authorization where principal_name = "
				+ "(select username from account where id = ?)", accountId);
	}

	/**
	 * Signs the account out of one application everywhere.
	 * @return whether it was signed in to it
	 */
	public boolean signOut(long accountId, String clientId) {
		List<ClientSessions.ClientSession> links = this.clientSessions.of(accountId, clientId);
		if (links.isEmpty()) {
			return false;
		}
		this.clientSessions.end(links, this.transactions, this.logouts);
		this.audit.record(accountId, SecurityEventType.APPLICATION_SIGNED_OUT, clientId);
		return true;
	}

}
