package dev.totplogin.trustedbrowser;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.ClientInfo;
import dev.totplogin.audit.SecurityEventRecorded;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.crypto.Tokens;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Remembers, recognises and forgets the browsers an account trusts. The cookie
 * ({@link TrustedBrowserCookie}) is {@code <id>.<secret>}; the row holds the secret's
 * SHA-256, the account, an absolute expiry (how long it stays on the account's list), and
 * when the browser last proved a real second factor, which it stands in for only within
 * the sign-in's absolute limit. One cookie per browser, for one account: another person
 * signing in on the same browser still needs their code, and ticking the box for them
 * replaces (and deletes) the earlier trust.
 */
@Service
public class TrustedBrowsers {

	/**
	 * What revokes every trusted browser of the account: each changes a credential or
	 * says "not me" (ASVS 5.0 7.4.3).
	 */
	private static final Set<SecurityEventType> REVOKING = Set.of(SecurityEventType.PASSWORD_CHANGED,
			SecurityEventType.PASSWORD_RESET, SecurityEventType.AUTHENTICATOR_REPLACED,
			SecurityEventType.RECOVERY_CODES_REGENERATED, SecurityEventType.OTHER_SESSIONS_ENDED,
			SecurityEventType.ADMIN_RESET, SecurityEventType.ACCOUNT_DISABLED);

	private final JdbcTemplate jdbc;

	private final AuditLog audit;

	private final TrustedBrowserProperties properties;

	private final Clock clock;

	private final TrustedBrowserCookie cookie;

	TrustedBrowsers(JdbcTemplate jdbc, AuditLog audit, TrustedBrowserProperties properties, Clock clock,
			TrustedBrowserCookie cookie) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
		this.cookie = cookie;
	}

	/**
	 * Trusts this browser for the account, after a code proved at sign-in: a new cookie,
	 * replacing (and deleting) whatever trust the browser genuinely held before.
	 * @return the new trust's id
	 */
	@Transactional
	public String remember(long accountId, HttpServletRequest request, HttpServletResponse response) {
		Instant now = this.clock.instant();
		this.jdbc.update("delete from trusted_browser where expires_at <= ?", Timestamp.from(now));
		// Only with its secret: a planted cookie naming someone else's id deletes
		// nothing.
		this.cookie.read(request)
			.ifPresent((old) -> this.jdbc.update("delete from trusted_browser where id = ? and secret_hash = ?",
					old.id(), Tokens.sha256(old.secret())));
		String id = Tokens.random(16);
		String secret = Tokens.random(32);
		ClientInfo client = ClientInfo.current();
		this.jdbc.update(
				"insert into trusted_browser (id, account_id, secret_hash, created_at, expires_at, ip_address, browser, "
						+ "second_factor_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
				id, accountId, Tokens.sha256(secret), Timestamp.from(now),
				Timestamp.from(now.plus(this.properties.lifetime())), client.ipAddress(), client.browser(),
				Timestamp.from(now));
		this.audit.record(accountId, SecurityEventType.BROWSER_TRUSTED, client.browser());
		this.cookie.write(response, id, secret);
		return id;
	}

	/**
	 * Whether this browser's cookie is the account's, unexpired and not revoked, and the
	 * browser proved a real second factor (a code, a key, a recovery code) for the
	 * account after {@code provenAfter} (NIST SP 800-63B-4: a remembered browser only
	 * re-authenticates after inactivity, within the overall limit); if so, its use is
	 * recorded. A cookie that is unknown, revoked, expired or forged is deleted; one of
	 * another account is left to its owner; one whose second factor is too old stays (the
	 * code asked now makes it count again, {@link #provenHere}).
	 * @param provenAfter the start of the absolute limit that ends now
	 * @return the trust, if it stands in for the code
	 */
	@Transactional
	public Optional<Recognised> recognises(long accountId, Instant provenAfter, HttpServletRequest request,
			HttpServletResponse response) {
		Optional<TrustedBrowserCookie.Value> presented = this.cookie.read(request);
		if (presented.isEmpty()) {
			if (this.cookie.present(request)) {
				forgetCookie(response);
			}
			return Optional.empty();
		}
		Instant now = this.clock.instant();
		List<StoredTrust> stored = this.jdbc.query(
				"select account_id, secret_hash, second_factor_at from trusted_browser where id = ? and expires_at > ?",
				(row, n) -> new StoredTrust(row.getLong("account_id"), row.getString("secret_hash"),
						row.getTimestamp("second_factor_at").toInstant()),
				presented.get().id(), Timestamp.from(now));
		if (stored.isEmpty() || !Tokens.sameHash(stored.get(0).secretHash(), Tokens.sha256(presented.get().secret()))) {
			forgetCookie(response);
			return Optional.empty();
		}
		if (stored.get(0).accountId() != accountId || !stored.get(0).secondFactorAt().isAfter(provenAfter)) {
			return Optional.empty();
		}
		// The row may have been revoked since the select: only the update that finds it
		// counts.
		boolean used = this.jdbc.update(
				"update trusted_browser set last_used_at = ? where id = ? and account_id = ? and expires_at > ?",
				Timestamp.from(now), presented.get().id(), accountId, Timestamp.from(now)) == 1;
		if (!used) {
			forgetCookie(response);
			return Optional.empty();
		}
		return Optional.of(new Recognised(presented.get().id(), stored.get(0).secondFactorAt()));
	}

	/**
	 * This browser has just proven a real second factor for the account (a code, a key, a
	 * recovery code at sign-in): if it is trusted for the account, it may stand in for
	 * the code again for the absolute limit from now. Only with the cookie's secret.
	 */
	@Transactional
	public void provenHere(long accountId, HttpServletRequest request) {
		this.cookie.read(request)
			.ifPresent((trust) -> this.jdbc.update(
					"update trusted_browser set second_factor_at = ? where id = ? and account_id = ? and secret_hash = ? "
							+ "and expires_at > ?",
					Timestamp.from(this.clock.instant()), trust.id(), accountId, Tokens.sha256(trust.secret()),
					Timestamp.from(this.clock.instant())));
	}

	/**
	 * The account signed out on this browser: its trust no longer stands in for the code
	 * until a code, key or recovery code is proven here again ({@link #provenHere}). A
	 * sign-out is not inactivity, and NIST SP 800-63B-4 lets a remembered browser
	 * re-authenticate only after inactivity. Only with the cookie's secret.
	 */
	@Transactional
	public void signedOutHere(long accountId, HttpServletRequest request) {
		this.cookie.read(request)
			.ifPresent((trust) -> this.jdbc.update(
					"update trusted_browser set second_factor_at = ? where id = ? and account_id = ? and secret_hash = ?",
					Timestamp.from(Instant.EPOCH), trust.id(), accountId, Tokens.sha256(trust.secret())));
	}

	/**
	 * A trusted browser that stands in for the code.
	 *
	 * @param id the trust's id
	 * @param secondFactorAt when the browser last proved a real second factor for the
	 * account: what the sign-in's absolute limit counts from
	 */
	public record Recognised(String id, Instant secondFactorAt) {
	}

	/** The account's trusted browsers, newest first. */
	public List<TrustedBrowser> of(long accountId, HttpServletRequest request) {
		String current = this.cookie.read(request).map(TrustedBrowserCookie.Value::id).orElse(null);
		return this.jdbc.query(
				"select id, created_at, expires_at, last_used_at, ip_address, browser from trusted_browser "
						+ "where account_id = ? and expires_at > ? order by created_at desc",
				(row, n) -> new TrustedBrowser(row.getString("id"), instant(row.getTimestamp("created_at")),
						instant(row.getTimestamp("expires_at")), instant(row.getTimestamp("last_used_at")),
						row.getString("ip_address"), row.getString("browser"), row.getString("id").equals(current)),
				accountId, Timestamp.from(this.clock.instant()));
	}

	/** Forgets one of the account's trusted browsers; false if it has none of that id. */
	@Transactional
	public boolean forget(long accountId, String id) {
		return forget(accountId, id, "one browser");
	}

	/**
	 * Forgets the trusted browser a session ended from the account page was on: whoever
	 * is turned out there must not come back with the password alone.
	 */
	@Transactional
	public void forgetWithItsSession(long accountId, String id) {
		forget(accountId, id, "with its session");
	}

	private boolean forget(long accountId, String id, String detail) {
		boolean forgotten = this.jdbc.update("delete from trusted_browser where id = ? and account_id = ?", id,
				accountId) == 1;
		if (forgotten) {
			this.audit.record(accountId, SecurityEventType.TRUSTED_BROWSERS_FORGOTTEN, detail);
		}
		return forgotten;
	}

	/** Forgets every trusted browser of the account. */
	@Transactional
	public int forgetAll(long accountId) {
		int forgotten = this.jdbc.update("delete from trusted_browser where account_id = ?", accountId);
		if (forgotten > 0) {
			this.audit.record(accountId, SecurityEventType.TRUSTED_BROWSERS_FORGOTTEN, "every browser");
		}
		return forgotten;
	}

	/**
	 * Incident response ("end every session of every account"): every trusted browser of
	 * every account is forgotten, or a stolen password with a trusted browser's cookie
	 * would sign straight back in. Recorded in the admin log, not on each account.
	 * @return how many there were
	 */
	@Transactional
	public int forgetEvery() {
		return this.jdbc.update("delete from trusted_browser");
	}

	/**
	 * Revokes the account's trusted browsers in the transaction that records the event
	 * that revokes them: the new password and the end of the old trust are one change.
	 */
	@EventListener
	void onSecurityEvent(SecurityEventRecorded event) {
		boolean allSessionsEnded = event.type() == SecurityEventType.ADMIN_SESSIONS_ENDED
				&& SecurityEventType.ALL_SESSIONS.equals(event.detail());
		if (event.accountId() != null && (REVOKING.contains(event.type()) || allSessionsEnded)) {
			this.jdbc.update("delete from trusted_browser where account_id = ?", event.accountId());
		}
	}

	/** Deletes this browser's cookie (e.g. the person forgot this browser). */
	public void forgetCookie(HttpServletResponse response) {
		this.cookie.delete(response);
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private record StoredTrust(long accountId, String secretHash, Instant secondFactorAt) {
	}

}
