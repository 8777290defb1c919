package dev.totplogin.recovery;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * Recovery codes like {@code x4k9m-q7tnp}: ten characters of Crockford's Base32 (no i, l,
 * o or u to misread), 50 random bits from {@code SecureRandom}. When typed back, case,
 * dashes and spaces are ignored, and the letters people mistake for digits (o, i, l) are
 * read as 0 and 1.
 */
final class RecoveryCodeFormat {

	static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

	static final int LENGTH = 10;

	private RecoveryCodeFormat() {
	}

	static String generate(SecureRandom random) {
		StringBuilder code = new StringBuilder(LENGTH + 1);
		for (int i = 0; i < LENGTH; i++) {
			if (i == LENGTH / 2) {
				code.append('-');
			}
			code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return code.toString();
	}

	/** The canonical form that is hashed, if the input can be a code at all. */
	static Optional<String> normalize(String typed) {
		if (typed == null || typed.length() > 64) {
			return Optional.empty();
		}
		StringBuilder canonical = new StringBuilder(LENGTH);
		for (char c : typed.toLowerCase(Locale.ROOT).toCharArray()) {
			if (c == '-' || c == ' ') {
				continue;
			}
			char read = switch (c) {
				case 'o' -> '0';
				case 'i', 'l' -> '1';
				default -> c;
			};
			if (ALPHABET.indexOf(read) < 0) {
				return Optional.empty();
			}
			canonical.append(read);
		}
		return (canonical.length() == LENGTH) ? Optional.of(canonical.toString()) : Optional.empty();
	}

}
