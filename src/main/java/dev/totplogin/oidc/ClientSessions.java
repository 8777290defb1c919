package dev.totplogin.oidc;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.totplogin.security.AccountPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataRetrievalFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The authorizations (codes, tokens) kept in the database by Spring Security's JDBC
 * service, each tied to the signed-in session it was given to. When that session ends,
 * however it ends (sign out, ended on {@code /account}, sign out everywhere, a password
 * change, an operator's reset, idle past the timeout), {@link #endOrphans} removes its
 * authorizations (so their refresh tokens no longer work) and queues a back-channel
 * logout for each client that registered a URI for one. It runs every few seconds on one
 * instance (a db-scheduler task), and looks only at sessions whose row is gone or
 * outdated, so no path that ends a session has to remember to call it.
 */
final class ClientSessions implements OAuth2AuthorizationService {

	private static final Logger log = LoggerFactory.getLogger(ClientSessions.class);

	/** Authorizations one session keeps of one client. */
	static final int KEPT_PER_CLIENT = 3;

	/**
	 * The principal's attribute in an authorization, as Spring Security's code stores it.
	 */
	private static final String PRINCIPAL = java.security.Principal.class.getName();

	private final OAuth2AuthorizationService stored;

	private final JdbcTemplate jdbc;

	private final RegisteredClientRepository clients;

	private final Clock clock;

	private final Duration idleTimeout;

	ClientSessions(OAuth2AuthorizationService stored, JdbcTemplate jdbc, RegisteredClientRepository clients,
			Clock clock, Duration idleTimeout) {
		this.stored = stored;
		this.jdbc = jdbc;
		this.clients = clients;
		this.clock = clock;
		this.idleTimeout = idleTimeout;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		this.stored.save(authorization);
		if (authorization.getAttribute(PRINCIPAL) instanceof Authentication authentication
				&& authentication.getPrincipal() instanceof AccountPrincipal principal
				&& principal.signedInSession() != null) {
			int updated = this.jdbc.update("update oidc_client_session set session_ref = ? where authorization_id = ?",
					principal.signedInSession(), authorization.getId());
			if (updated == 0) {
				this.jdbc.update(
						"insert into oidc_client_session (authorization_id, session_ref, account_id, client_id, "
								+ "signed_in_at) values (?, ?, ?, ?, ?)",
						authorization.getId(), principal.signedInSession(), principal.accountId(),
						authorization.getRegisteredClientId(), Timestamp.from(this.clock.instant()));
				keepNewest(principal.signedInSession(), authorization.getRegisteredClientId());
			}
		}
	}

	/**
	 * A session keeps its {@link #KEPT_PER_CLIENT} newest authorizations of one client
	 * (sign-ins in flight in several tabs); older ones go, so a session asking for codes
	 * in a loop grows nothing.
	 */
	private void keepNewest(String sessionRef, String clientId) {
		List<String> newestFirst = this.jdbc
			.queryForList("select authorization_id from oidc_client_session where session_ref = ? and client_id = ? "
					+ "order by signed_in_at desc, authorization_id", String.class, sessionRef, clientId);
		for (String old : newestFirst.subList(Math.min(KEPT_PER_CLIENT, newestFirst.size()), newestFirst.size())) {
			OAuth2Authorization authorization = this.stored.findById(old);
			if (authorization != null) {
				this.stored.remove(authorization);
			}
			this.jdbc.update("delete from oidc_client_session where authorization_id = ?", old);
		}
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		this.stored.remove(authorization);
		this.jdbc.update("delete from oidc_client_session where authorization_id = ?", authorization.getId());
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return this.stored.findById(id);
	}

	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		return this.stored.findByToken(token, tokenType);
	}

	/**
	 * The authorization, or null if it is gone or its client is no longer configured
	 * (Spring Security's JDBC service then cannot read it, and nobody can use it).
	 */
	private OAuth2Authorization readable(String id) {
		try {
			return this.stored.findById(id);
		}
		catch (DataRetrievalFailureException clientGone) {
			return null;
		}
	}

	/** One application a session signed in to. */
	record ClientSession(String authorizationId, String sessionRef, long accountId, String clientId) {
	}

	/**
	 * The links of sessions that have ended: the row gone, its epoch behind the
	 * account's, idle past the timeout (with the minute a row's last activity may lag),
	 * or past the absolute limit.
	 */
	List<ClientSession> orphans() {
		Instant idleSince = this.clock.instant().minus(this.idleTimeout).minus(Duration.ofMinutes(1));
		return this.jdbc.query("select c.authorization_id, c.session_ref, c.account_id, c.client_id "
				+ "from oidc_client_session c left join signed_in_session s on s.id = c.session_ref "
				+ "left join account a on a.id = c.account_id "
				+ "where s.id is null or a.id is null or s.session_epoch < a.session_epoch or s.last_active_at < ? "
				+ "or s.expires_at < ?",
				(row, n) -> new ClientSession(row.getString(1), row.getString(2), row.getLong(3), row.getString(4)),
				Timestamp.from(idleSince), Timestamp.from(this.clock.instant()));
	}

	/**
	 * The authorizations of the account's sessions for one client, as "sign out of this
	 * application" ends them.
	 */
	List<ClientSession> of(long accountId, String clientId) {
		return this.jdbc.query(
				"select authorization_id, session_ref, account_id, client_id from oidc_client_session "
						+ "where account_id = ? and client_id = ?",
				(row, n) -> new ClientSession(row.getString(1), row.getString(2), row.getLong(3), row.getString(4)),
				accountId, clientId);
	}

	/** Every authorization of the account's sessions. */
	List<ClientSession> of(long accountId) {
		return this.jdbc.query(
				"select authorization_id, session_ref, account_id, client_id from oidc_client_session "
						+ "where account_id = ?",
				(row, n) -> new ClientSession(row.getString(1), row.getString(2), row.getLong(3), row.getString(4)),
				accountId);
	}

	/**
	 * Ends these links: each authorization removed (its refresh token with it) and, once
	 * per client and session, a back-channel logout queued for the clients that take one,
	 * in one transaction.
	 * @return how many logouts were queued
	 */
	int end(List<ClientSession> ended, TransactionTemplate transactions, BackChannelLogout logouts) {
		return end(ended, transactions, logouts, null);
	}

	/**
	 * As {@link #end(List, TransactionTemplate, BackChannelLogout)}, the logouts naming
	 * this {@code sub} (an account being deleted: it will not be there to look it up).
	 */
	int end(List<ClientSession> ended, TransactionTemplate transactions, BackChannelLogout logouts, String subject) {
		return transactions.execute((status) -> {
			Set<String> told = new LinkedHashSet<>();
			for (ClientSession link : ended) {
				OAuth2Authorization authorization = readable(link.authorizationId());
				boolean hadIdToken = authorization != null && authorization
					.getToken(org.springframework.security.oauth2.core.oidc.OidcIdToken.class) != null;
				if (authorization != null) {
					this.stored.remove(authorization);
				}
				else {
					this.jdbc.update("delete from oauth2_authorization where id = ?", link.authorizationId());
				}
				this.jdbc.update("delete from oidc_client_session where authorization_id = ?", link.authorizationId());
				RegisteredClient client = this.clients.findById(link.clientId());
				if (hadIdToken && client != null
						&& client.getClientSettings().getSetting(ConfiguredClients.BACKCHANNEL_LOGOUT_URI) != null
						&& told.add(link.clientId() + " " + link.sessionRef())) {
					logouts.queue(link.clientId(), link.accountId(), link.sessionRef(), subject);
				}
			}
			if (!ended.isEmpty()) {
				log.info("{} application sign-ins ended with their sessions; {} back-channel logouts queued",
						ended.size(), told.size());
			}
			return told.size();
		});
	}

}
