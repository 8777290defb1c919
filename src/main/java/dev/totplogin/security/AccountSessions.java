package dev.totplogin.security;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpSession;

import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.ClientInfo;
import dev.totplogin.crypto.Tokens;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The account's signed-in sessions (ASVS 5.0 7.5.2), one row each in the database,
 * whatever holds the sessions themselves: Spring Session JDBC on several instances, or
 * the servlet container's own sessions (as under MockMvc). A session carries its row's
 * opaque reference in its principal; {@link SessionValidityFilter} ends a session whose
 * row is gone at its next request, on any instance.
 * <p>
 * Deliberately not Spring Session's principal index: it exists only with Spring Session
 * (not with container sessions), lists pending sessions beside signed-in ones, and finds
 * a session to end by its id, the bearer credential itself. A row of our own works the
 * same with every store, and ending a session is one delete, seen by every instance at
 * the session's next request.
 */
@Service
public class AccountSessions {

	/** How stale "last active" may be: a session's row is touched at most this often. */
	static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

	/** The session attribute naming its signed-in row. */
	private static final String REF = AccountSessions.class.getName() + ".REF";

	/** The account whose row this session keeps while it signs in again. */
	private static final String KEEP_FOR = AccountSessions.class.getName() + ".KEEP_FOR";

	private final JdbcTemplate jdbc;

	private final AccountRepository accounts;

	private final Clock clock;

	private final Duration idleTimeout;

	private final StoredSessions stored;

	AccountSessions(JdbcTemplate jdbc, AccountRepository accounts, Clock clock, SecurityProperties properties,
			StoredSessions stored) {
		this.jdbc = jdbc;
		this.accounts = accounts;
		this.clock = clock;
		this.idleTimeout = properties.idleTimeout();
		this.stored = stored;
	}

	/**
	 * How many sessions are signed in now, over every account and instance: one count
	 * over the index of last activity (rows idle past the timeout or past their absolute
	 * limit are not counted, even before they are cleared).
	 */
	public long countSignedIn() {
		Instant now = this.clock.instant();
		Long count = this.jdbc.queryForObject(
				"select count(*) from signed_in_session where last_active_at >= ? "
						+ "and (expires_at is null or expires_at > ?)",
				Long.class, Timestamp.from(now.minus(this.idleTimeout).minus(TOUCH_INTERVAL)), Timestamp.from(now));
		return (count != null) ? count : 0;
	}

	/**
	 * A row for a session that has just signed in, in place of the one of an earlier
	 * sign-in in the same session, with what the sign-in proved (its factors and their
	 * level, from {@link Assurance}) and when it reaches the absolute limit.
	 * <p>
	 * None if the account was disabled or its sessions ended since the password step:
	 * checked on the account's row, locked until the row is written, so a disable either
	 * comes first and is seen here, or waits and then ends this row with the others. One
	 * statement: the row is inserted from a locking read of the account's row
	 * ({@code insert ... select ... for update}), and none is if that read finds none.
	 * @param expiresAt when the sign-in reaches {@code app.security.absolute-timeout}
	 * @return its reference, or empty if the sign-in must not complete
	 */
	@Transactional
	Optional<String> start(long accountId, int sessionEpoch, HttpSession session, Authentication proven,
			Instant expiresAt) {
		Instant now = this.clock.instant();
		String factors = String.join(" ", Assurance.factors(proven));
		String level = Assurance.of(proven).map(Assurance::level).orElseThrow();
		if (session.getAttribute(KEEP_FOR) != null) {
			// Signing in again as another application asked (rare): the account's row is
			// locked first, then the kept row taken on, or a new one written.
			List<Long> active = this.jdbc.queryForList(
					"select id from account where id = ? and session_epoch = ? and disabled_at is null for update",
					Long.class, accountId, sessionEpoch);
			if (active.isEmpty()) {
				return Optional.empty();
			}
			Optional<String> kept = kept(session, accountId, sessionEpoch, now);
			if (kept.isPresent()) {
				this.jdbc.update("update signed_in_session set factors = ?, assurance = ?, expires_at = ? where id = ?",
						factors, level, Timestamp.from(expiresAt), kept.get());
				return kept;
			}
		}
		leave(session);
		String ref = Tokens.random(16);
		ClientInfo client = ClientInfo.current();
		int inserted = this.jdbc.update(
				"insert into signed_in_session (id, account_id, session_epoch, signed_in_at, "
						+ "last_active_at, ip_address, browser, factors, assurance, expires_at) "
						+ "select ?, id, session_epoch, ?, ?, ?, ?, ?, ?, ? from account "
						+ "where id = ? and session_epoch = ? and disabled_at is null for update",
				ref, Timestamp.from(now), Timestamp.from(now), client.ipAddress(), client.browser(), factors, level,
				Timestamp.from(expiresAt), accountId, sessionEpoch);
		if (inserted == 0) {
			return Optional.empty();
		}
		session.setAttribute(REF, ref);
		return Optional.of(ref);
	}

	/**
	 * Clears the rows of sessions long idle or past their absolute limit: housekeeping
	 * only (every read of the rows leaves those out), so a recurring task does it
	 * ({@link SignedInSessionSweep}), not each sign-in.
	 * @return how many rows went
	 */
	int clearEnded() {
		Instant now = this.clock.instant();
		return this.jdbc.update("delete from signed_in_session where last_active_at < ? or expires_at < ?",
				Timestamp.from(now.minus(this.idleTimeout).minus(TOUCH_INTERVAL)), Timestamp.from(now));
	}

	/**
	 * The session starts another sign-in (a password step, a registration): the row of
	 * its earlier one, if any, goes.
	 */
	void leave(HttpSession session) {
		if (session != null && session.getAttribute(KEEP_FOR) != null) {
			// Signing in again as asked (keepThroughSignIn): the row stays until the
			// sign-in completes.
			return;
		}
		if (session != null && session.getAttribute(REF) instanceof String ref) {
			ended(ref);
			session.removeAttribute(REF);
		}
	}

	/**
	 * The session signs in again as another application asked: its row stays through the
	 * password step and is taken on by the new sign-in if it is the same account's.
	 */
	void keepThroughSignIn(HttpSession session, long accountId) {
		if (session.getAttribute(REF) != null) {
			session.setAttribute(KEEP_FOR, accountId);
		}
	}

	/** The session ends while signing in again: the row it kept ends too. */
	void endKept(HttpSession session) {
		if (session.getAttribute(KEEP_FOR) != null) {
			session.removeAttribute(KEEP_FOR);
			leave(session);
		}
	}

	/**
	 * The row kept by {@link #keepThroughSignIn}, if this sign-in is its account's and
	 * the account's sessions were not ended meanwhile (a raised epoch: that row has
	 * ended).
	 */
	private Optional<String> kept(HttpSession session, long accountId, int sessionEpoch, Instant now) {
		Object keptFor = session.getAttribute(KEEP_FOR);
		session.removeAttribute(KEEP_FOR);
		if (!(session.getAttribute(REF) instanceof String ref) || !Long.valueOf(accountId).equals(keptFor)) {
			return Optional.empty();
		}
		int updated = this.jdbc.update(
				"update signed_in_session set last_active_at = ? where id = ? and account_id = ? and session_epoch = ?",
				Timestamp.from(now), ref, accountId, sessionEpoch);
		return (updated == 1) ? Optional.of(ref) : Optional.empty();
	}

	/**
	 * This session is on a browser the account trusts (it just signed in there, or just
	 * ticked the box): ending the session will forget that browser too.
	 */
	public void onTrustedBrowser(String trustedBrowserId) {
		currentRef().ifPresent((ref) -> this.jdbc
			.update("update signed_in_session set trusted_browser_id = ? where id = ?", trustedBrowserId, ref));
	}

	/**
	 * The account's session epoch, if the signed-in session's row is still there, and
	 * whether the session has been idle past {@code app.security.idle-timeout}: the facts
	 * every signed-in request checks, in one query (the account's row joined, so that an
	 * account gone or an epoch raised is seen in the same read). Touches the row's "last
	 * active" when that is more than a minute old (one write a minute per session, not
	 * one per request); so "last active" may be up to a minute behind, and an idle
	 * session may end up to a minute early.
	 */
	Optional<Activity> stillSignedIn(long accountId, String ref) {
		Instant now = this.clock.instant();
		List<Map.Entry<Integer, Instant>> rows = this.jdbc.query(
				"select a.session_epoch, s.last_active_at from signed_in_session s "
						+ "join account a on a.id = s.account_id where s.id = ? and s.account_id = ?",
				(row, n) -> Map.entry(row.getInt(1), row.getTimestamp(2).toInstant()), ref, accountId);
		if (rows.isEmpty()) {
			return Optional.empty();
		}
		Instant lastActive = rows.get(0).getValue();
		boolean idle = lastActive.isBefore(now.minus(this.idleTimeout));
		if (!idle && lastActive.isBefore(now.minus(TOUCH_INTERVAL))) {
			this.jdbc.update("update signed_in_session set last_active_at = ? where id = ?", Timestamp.from(now), ref);
		}
		return Optional.of(new Activity(rows.get(0).getKey(), idle));
	}

	/**
	 * @param sessionEpoch the account's session epoch
	 * @param idle whether the session has had no request for longer than
	 * {@code app.security.idle-timeout}
	 */
	record Activity(int sessionEpoch, boolean idle) {
	}

	/**
	 * The account's sessions that are signed in now (this epoch, not idle past the
	 * timeout, not past the absolute limit), most recently active first, each with what
	 * its sign-in proved.
	 */
	public List<AccountSession> of(long accountId) {
		int epoch = this.accounts.findSessionEpochById(accountId).orElseThrow();
		String current = currentRef().orElse(null);
		Instant now = this.clock.instant();
		return this.jdbc.query(
				"select id, signed_in_at, last_active_at, ip_address, browser, factors, assurance "
						+ "from signed_in_session where account_id = ? and session_epoch = ? and last_active_at >= ? "
						+ "and (expires_at is null or expires_at > ?) order by last_active_at desc, signed_in_at desc",
				(row, n) -> new AccountSession(row.getString("id"), row.getTimestamp("signed_in_at").toInstant(),
						row.getTimestamp("last_active_at").toInstant(), row.getString("ip_address"),
						row.getString("browser"), row.getString("id").equals(current), method(row.getString("factors")),
						row.getString("assurance")),
				accountId, epoch, Timestamp.from(now.minus(this.idleTimeout)), Timestamp.from(now));
	}

	/** A row from before its factors were recorded has no sentence ({@code null}). */
	private static String method(String factors) {
		return (factors != null) ? Assurance.method(List.of(factors.split(" "))) : null;
	}

	/**
	 * Ends another session of the account: its row goes, and the session is signed out at
	 * its next request. Empty if the account has no such session, or it is this one
	 * (which signs out with Sign out).
	 * @return the ended session, with the trusted browser it was on
	 */
	@Transactional
	public Optional<Ended> end(long accountId, String ref) {
		if (ref.equals(currentRef().orElse(null))) {
			return Optional.empty();
		}
		List<Ended> found = this.jdbc.query(
				"select trusted_browser_id from signed_in_session where id = ? and account_id = ?",
				(row, n) -> new Ended(row.getString("trusted_browser_id")), ref, accountId);
		boolean deleted = this.jdbc.update("delete from signed_in_session where id = ? and account_id = ?", ref,
				accountId) == 1;
		return (deleted && !found.isEmpty()) ? Optional.of(found.get(0)) : Optional.empty();
	}

	/**
	 * @param trustedBrowserId the trusted browser the ended session was on, or null
	 */
	public record Ended(String trustedBrowserId) {
	}

	/**
	 * Deletes every signed-in row of the account (each of its sessions, on every
	 * instance, is signed out at its next request), and the stored sessions under its
	 * name, in the database or in Redis ({@link StoredSessions}); in the caller's
	 * transaction (the account is being deleted).
	 */
	public void forgetAll(long accountId, String username) {
		this.jdbc.update("delete from signed_in_session where account_id = ?", accountId);
		this.stored.forgetAll(username);
	}

	/**
	 * Ends every session of the account (an administrator's "end all", or disabling): the
	 * rows go; the caller raises the account's epoch in the same transaction, so a
	 * session is ended on every instance at its next request however it is held.
	 */
	public void endAll(long accountId) {
		this.jdbc.update("delete from signed_in_session where account_id = ?", accountId);
	}

	/**
	 * "End every session of every account" (incident response): every row goes; the
	 * caller raises every account's epoch in the same transaction.
	 * @return how many signed-in sessions there were
	 */
	public int endEverySession() {
		return this.jdbc.update("delete from signed_in_session");
	}

	/** This session signed out. */
	void ended(String ref) {
		this.jdbc.update("delete from signed_in_session where id = ?", ref);
	}

	/**
	 * Every other session of the account ended by a new epoch: this one moves to it, the
	 * others' rows go.
	 */
	void keepOnly(long accountId, String ref, int epoch) {
		this.jdbc.update("delete from signed_in_session where account_id = ? and id <> ?", accountId, ref);
		this.jdbc.update("update signed_in_session set session_epoch = ? where id = ?", epoch, ref);
	}

	/** The reference of this request's signed-in session, if it is signed in. */
	public static Optional<String> currentRef() {
		Authentication authentication = SecurityContextHolder.getContextHolderStrategy()
			.getContext()
			.getAuthentication();
		return (authentication != null && authentication.getPrincipal() instanceof AccountPrincipal principal)
				? Optional.ofNullable(principal.signedInSession()) : Optional.empty();
	}

}
