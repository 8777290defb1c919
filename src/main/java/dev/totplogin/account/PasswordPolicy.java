package dev.totplogin.account;

import java.util.Locale;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.password.CompromisedPasswordChecker;
import org.springframework.stereotype.Component;

/**
 * The password rules of NIST SP 800-63B and OWASP ASVS 5.0 (6.2): a length range counted
 * in characters (code points, so an emoji counts once), any printable characters, no
 * composition rules, not built on the username, and not a commonly used or easily guessed
 * password ({@link CompromisedPasswordChecker}). Nothing is trimmed or truncated: the
 * hash sees exactly what was typed. A password being chosen is also looked up in known
 * breaches when {@code app.breached-passwords} is enabled ({@link #checkNew}).
 */
@Component
public class PasswordPolicy {

	public static final int MIN_LENGTH = 12;

	public static final int MAX_LENGTH = 128;

	private final CompromisedPasswordChecker commonPasswords;

	private final BreachedPasswords breachedPasswords;

	/**
	 * With zxcvbn's lists and patterns as the check for common passwords, and no lookup
	 * of known breaches.
	 */
	public PasswordPolicy() {
		this(new GuessablePasswordChecker(), BreachedPasswords.off());
	}

	/**
	 * @param breachedPasswords the lookup of known breaches; absent (a test slice that
	 * imports the policy alone), none
	 */
	@Autowired
	PasswordPolicy(ObjectProvider<BreachedPasswords> breachedPasswords) {
		this(new GuessablePasswordChecker(), breachedPasswords.getIfAvailable(BreachedPasswords::off));
	}

	PasswordPolicy(BreachedPasswords breachedPasswords) {
		this(new GuessablePasswordChecker(), breachedPasswords);
	}

	PasswordPolicy(CompromisedPasswordChecker commonPasswords) {
		this(commonPasswords, BreachedPasswords.off());
	}

	private PasswordPolicy(CompromisedPasswordChecker commonPasswords, BreachedPasswords breachedPasswords) {
		this.commonPasswords = commonPasswords;
		this.breachedPasswords = breachedPasswords;
	}

	/** A rule the password breaks: a message key and its arguments. */
	public record Violation(String messageKey, Object... arguments) {
	}

	/** The shortest username that a password may not contain. */
	static final int MIN_USERNAME_IN_PASSWORD = 4;

	public Optional<Violation> check(String password, String username) {
		int length = password.codePointCount(0, password.length());
		if (length < MIN_LENGTH) {
			return Optional.of(new Violation("password.tooShort", MIN_LENGTH));
		}
		if (length > MAX_LENGTH) {
			return Optional.of(new Violation("password.tooLong", MAX_LENGTH));
		}
		if (password.codePoints().anyMatch(Character::isISOControl)) {
			return Optional.of(new Violation("password.controlCharacters"));
		}
		// From four characters: "sam" is in too many good passphrases ("sunny samba
		// weekend") to refuse them all; every password gets the common-password check.
		if (username != null && username.strip().length() >= MIN_USERNAME_IN_PASSWORD
				&& password.toLowerCase(Locale.ROOT).contains(username.strip().toLowerCase(Locale.ROOT))) {
			return Optional.of(new Violation("password.containsUsername"));
		}
		if (this.commonPasswords.check(password).isCompromised()) {
			return Optional.of(new Violation("password.common"));
		}
		return Optional.empty();
	}

	/**
	 * The rules of {@link #check} for a password being chosen (sign-up, change, reset);
	 * then, if they pass and the lookup is enabled, whether it appears in known breaches.
	 * The live strength hint keeps to {@link #check}: no third-party call per keystroke.
	 */
	public Optional<Violation> checkNew(String password, String username) {
		Optional<Violation> broken = check(password, username);
		if (broken.isPresent() || !this.breachedPasswords.breached(password)) {
			return broken;
		}
		return Optional.of(new Violation("password.breached"));
	}

}
