package dev.totplogin.security;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;

import dev.totplogin.account.Account;

import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The signed-in account as the session knows it. Holds no TOTP secret; the password hash
 * is erased as soon as the password step is over. {@code totpEnabled} and
 * {@code sessionEpoch} are snapshots taken at the password step: the first picks the 2FA
 * page the session is sent to, the second lets other sessions be ended; the signed-in
 * session's reference lets the account page end this one session.
 */
public final class AccountPrincipal implements UserDetails, CredentialsContainer, Serializable {

	@Serial
	private static final long serialVersionUID = 1L;

	private final long accountId;

	private final String username;

	private final boolean totpEnabled;

	private final int sessionEpoch;

	private final String signedInSession;

	private String passwordHash;

	private AccountPrincipal(long accountId, String username, boolean totpEnabled, int sessionEpoch,
			String signedInSession, String passwordHash) {
		this.accountId = accountId;
		this.username = username;
		this.totpEnabled = totpEnabled;
		this.sessionEpoch = sessionEpoch;
		this.signedInSession = signedInSession;
		this.passwordHash = passwordHash;
	}

	static AccountPrincipal of(Account account) {
		return new AccountPrincipal(account.getId(), account.getUsername(), account.isTotpEnabled(),
				account.getSessionEpoch(), null, account.getPasswordHash());
	}

	public long accountId() {
		return this.accountId;
	}

	public boolean totpEnabled() {
		return this.totpEnabled;
	}

	/**
	 * The account's session epoch when this session signed in: a session whose epoch is
	 * older than the account's has been signed out (sign out everywhere else, operator
	 * reset).
	 */
	public int sessionEpoch() {
		return this.sessionEpoch;
	}

	/**
	 * The reference of this session's row in {@link AccountSessions} once both factors
	 * are proven; null while pending.
	 */
	public String signedInSession() {
		return this.signedInSession;
	}

	/**
	 * The same account, enrolled and signed in, for the session whose second factor has
	 * just been proven.
	 */
	AccountPrincipal signedIn(String sessionRef) {
		return new AccountPrincipal(this.accountId, this.username, true, this.sessionEpoch, sessionRef, null);
	}

	/** The same, with the password hash upgraded at this login. */
	AccountPrincipal withPasswordHash(String hash) {
		return new AccountPrincipal(this.accountId, this.username, this.totpEnabled, this.sessionEpoch,
				this.signedInSession, hash);
	}

	AccountPrincipal withSessionEpoch(int epoch) {
		return new AccountPrincipal(this.accountId, this.username, this.totpEnabled, epoch, this.signedInSession, null);
	}

	@Override
	public String getUsername() {
		return this.username;
	}

	@Override
	public String getPassword() {
		return this.passwordHash;
	}

	/**
	 * Authorities live on the {@code Authentication}, which records the factors the
	 * session has proven.
	 */
	@Override
	public Collection<? extends GrantedAuthority> getAuthorities() {
		return List.of();
	}

	@Override
	public void eraseCredentials() {
		this.passwordHash = null;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof AccountPrincipal that && this.accountId == that.accountId;
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.accountId);
	}

	@Override
	public String toString() {
		return "AccountPrincipal[" + this.accountId + "]";
	}

}
