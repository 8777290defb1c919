package dev.totplogin.bench;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

import dev.totplogin.crypto.SecretCipher;
import dev.totplogin.support.TestTotp;
import org.flywaydb.core.Flyway;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Builds a benchmark database straight through JDBC: the real schema (Flyway), enrolled users whose secrets the
 * driver knows, and optionally a mass of other accounts. One password hash is computed and copied to every row:
 * a million rows must not cost a million hashes.
 */
final class Seeder {

	static final String PASSWORD = "benchmark password phrase";

	/** The application's default Argon2id settings (app.security.argon2.*, salt and hash length of the encoder). */
	static final int SALT_BYTES = 16;

	static final int HASH_BYTES = 32;

	static final int PARALLELISM = 1;

	static final int MEMORY_KIB = 19456;

	static final int ITERATIONS = 2;

	private Seeder() {
	}

	/** The encoder every benchmark hash is made with. */
	static Argon2PasswordEncoder passwordEncoder() {
		return new Argon2PasswordEncoder(SALT_BYTES, HASH_BYTES, PARALLELISM, MEMORY_KIB, ITERATIONS);
	}

	/**
	 * @param users enrolled users the driver signs in with ({@code user0}, {@code user1}, …)
	 * @param others further accounts that only make the tables bigger
	 * @return the users' Base32 secrets, by user number
	 */
	static String[] seed(String jdbcUrl, int users, int others, SecretCipher cipher, String passwordHash)
			throws SQLException {
		return seed(jdbcUrl, "sa", "", users, others, cipher, passwordHash);
	}

	/** The same on a database with its own credentials (PostgreSQL). */
	static String[] seed(String jdbcUrl, String dbUser, String dbPassword, int users, int others, SecretCipher cipher,
			String passwordHash) throws SQLException {
		Flyway.configure().dataSource(jdbcUrl, dbUser, dbPassword).locations("classpath:db/migration").load().migrate();
		SecureRandom random = new SecureRandom();
		String[] secrets = new String[users];
		Timestamp now = Timestamp.from(Instant.now());
		try (Connection connection = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword)) {
			connection.setAutoCommit(false);
			try (PreparedStatement account = connection.prepareStatement("insert into account (id, username, "
					+ "username_key, password_hash, totp_secret, totp_enabled_at, created_at) values (?, ?, ?, ?, ?, ?, ?)");
					PreparedStatement throttle = connection
						.prepareStatement("insert into auth_throttle (account_id, factor) values (?, ?)")) {
				for (int id = 1; id <= users + others; id++) {
					boolean user = id <= users;
					String name = user ? "user" + (id - 1) : "other" + id;
					String secret = null;
					if (user) {
						byte[] key = new byte[20];
						random.nextBytes(key);
						secret = TestTotp.base32Encode(key);
						secrets[id - 1] = secret;
					}
					account.setLong(1, id);
					account.setString(2, name);
					account.setString(3, name);
					account.setString(4, passwordHash);
					account.setString(5, user ? cipher.encrypt(secret, "totp:" + id) : null);
					account.setTimestamp(6, user ? now : null);
					account.setTimestamp(7, now);
					account.addBatch();
					if (user) {
						for (String factor : new String[] { "PASSWORD", "SECOND_FACTOR" }) {
							throttle.setLong(1, id);
							throttle.setString(2, factor);
							throttle.addBatch();
						}
					}
					if (id % 10_000 == 0) {
						account.executeBatch();
						throttle.executeBatch();
						connection.commit();
					}
				}
				account.executeBatch();
				throttle.executeBatch();
				connection.commit();
			}
			// The rows above chose their ids; the identity goes on after them (H2 and PostgreSQL alike), so that an
			// account the application creates does not collide with one.
			try (Statement restart = connection.createStatement()) {
				restart.execute("alter table account alter column id restart with " + (users + others + 1));
			}
			connection.commit();
		}
		return secrets;
	}

}
