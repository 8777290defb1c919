package dev.totplogin.account;

/**
 * A new password, already hashed by {@link AccountService#hash}: the methods that store a
 * password take this, never the password itself, so that no hash is ever computed inside
 * the transaction that stores it (it would hold a database connection through the hash
 * and the wait for a hashing turn).
 *
 * @param value the encoded hash ({@code {argon2}$argon2id$...})
 */
public record HashedPassword(String value) {

	public HashedPassword {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("no hash");
		}
	}

	@Override
	public String toString() {
		return "HashedPassword[…]";
	}

}
