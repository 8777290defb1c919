package dev.totplogin.account;

import com.nulabinc.zxcvbn.Zxcvbn;

import org.springframework.security.authentication.password.CompromisedPasswordChecker;
import org.springframework.security.authentication.password.CompromisedPasswordDecision;

/**
 * Commonly used and easily guessed passwords (NIST SP 800-63B §5.1.1.2, ASVS 5.0 6.2.4),
 * checked on this machine: zxcvbn's frequency lists of leaked passwords, names and words,
 * with its pattern matching for repeats, sequences, keyboard walks, dates and l33t
 * substitutions. A password whose estimated guesses give a score below {@link #MIN_SCORE}
 * counts as compromised. Nothing is sent anywhere (unlike a breached-password web
 * service).
 */
class GuessablePasswordChecker implements CompromisedPasswordChecker {

	/**
	 * zxcvbn's "safely unguessable" (10^8 guesses and more, even offline against a slow
	 * hash).
	 */
	static final int MIN_SCORE = 3;

	/**
	 * zxcvbn's matching grows with the length; the policy allows no longer passwords than
	 * this anyway.
	 */
	private static final int MAX_CHECKED_LENGTH = PasswordPolicy.MAX_LENGTH;

	private final Zxcvbn zxcvbn = new Zxcvbn();

	@Override
	public CompromisedPasswordDecision check(String password) {
		if (password == null || password.isEmpty()) {
			return new CompromisedPasswordDecision(true);
		}
		String checked = (password.length() > MAX_CHECKED_LENGTH) ? password.substring(0, MAX_CHECKED_LENGTH)
				: password;
		return new CompromisedPasswordDecision(this.zxcvbn.measure(checked).getScore() < MIN_SCORE);
	}

}
