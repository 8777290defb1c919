package dev.totplogin.account;

/**
 * The shape of an email address as the forms accept it, with Bean Validation's
 * {@code @Email}.
 */
public final class EmailFormat {

	/** At most this long (RFC 5321's path limit). */
	public static final int MAX_LENGTH = 254;

	/** Exactly one {@code @}, nothing that is a control character or a space. */
	public static final String SINGLE_AT = "[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}]+";

	private EmailFormat() {
	}

}
