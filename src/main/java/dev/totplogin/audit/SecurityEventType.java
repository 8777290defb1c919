package dev.totplogin.audit;

/**
 * What can happen to an account's security, as shown on /account and written to the log.
 */
public enum SecurityEventType {

	REGISTERED, PASSWORD_OK, PASSWORD_FAILED, SECOND_FACTOR_ENABLED, CODE_ACCEPTED, CODE_FAILED, CODE_REPLAY_REFUSED,
	LOCKED, RECOVERY_CODE_USED, RECOVERY_CODES_REGENERATED, PASSWORD_CHANGED, AUTHENTICATOR_REPLACED, SIGNED_OUT,
	OTHER_SESSIONS_ENDED, ADMIN_RESET, PASSWORD_RESET, EMAIL_ADDED, EMAIL_VERIFIED, EMAIL_CHANGED, BROWSER_TRUSTED,
	TRUSTED_BROWSER_SIGN_IN, TRUSTED_BROWSERS_FORGOTTEN, SESSION_ENDED,

	/**
	 * A sign-in completed, whichever factors; the detail names its assurance level and
	 * methods ({@code aal2 pwd otp mfa}).
	 */
	SIGNED_IN,

	/**
	 * A session ended by a time limit at its next request; the detail says which
	 * ({@code idle 30m}, {@code absolute 12h}).
	 */
	SESSION_TIMED_OUT,

	/**
	 * What an administrator did to the account (the console or the command line); the
	 * detail never names the administrator (the admin log does) nor holds a secret.
	 */
	ACCOUNT_DISABLED, ACCOUNT_ENABLED, ADMIN_UNLOCKED, ADMIN_SESSIONS_ENDED, ADMIN_RESET_LINK_SENT, ADMIN_ROLE_GRANTED,
	ADMIN_ROLE_REVOKED,

	/** A sign-in of a disabled account, refused with the ordinary answer. */
	REFUSED_WHILE_DISABLED,

	REFUSED_WHILE_LOCKED, SECURITY_KEY_ADDED, SECURITY_KEY_REMOVED, SECURITY_KEY_SIGN_IN, SECURITY_KEY_REFUSED,
	SECURITY_KEY_CONFIRMED,

	/**
	 * A client address failed too many password steps (no account: it may have named
	 * many).
	 */
	CLIENT_LOCKED,

	/**
	 * Signed out of an application that signs in with this one (OpenID Connect), from the
	 * account page; the detail names it.
	 */
	APPLICATION_SIGNED_OUT,

	/** The owner downloaded the account's data from the account page. */
	DATA_EXPORTED,

	/**
	 * The account was deleted by its owner: the one line kept of it, without an account,
	 * a name or an address; the detail names the deleted account's id only.
	 */
	ACCOUNT_DELETED;

	/**
	 * The detail of {@link #ADMIN_SESSIONS_ENDED} when every session of the account was
	 * ended (its trusted browsers are forgotten too, as with "sign out everywhere else").
	 */
	public static final String ALL_SESSIONS = "all sessions";

}
