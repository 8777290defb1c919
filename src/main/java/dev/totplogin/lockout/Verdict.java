package dev.totplogin.lockout;

/**
 * What checking a password or code said, before the lockout has its say
 * ({@link AttemptResult}).
 */
public enum Verdict {

	ACCEPTED,

	/** Not the password, or not a valid code. */
	WRONG,

	/** A valid TOTP code whose time step was already used. */
	REPLAYED

}
