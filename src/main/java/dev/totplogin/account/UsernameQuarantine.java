package dev.totplogin.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.totplogin.crypto.SecretCipher;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The usernames of deleted accounts, taken until
 * {@code app.account.deleted-username-quarantine} has passed: nobody can take a name over
 * at once, with the trust that others placed in it. Only a keyed hash of the name's key
 * is kept (the name itself went with the account), looked up under every known key so
 * that a key rotation frees nothing early. Names whose time has passed go at the next
 * check.
 */
@Component
class UsernameQuarantine {

	private final NamedParameterJdbcTemplate jdbc;

	private final SecretCipher cipher;

	private final Clock clock;

	private final AccountProperties properties;

	UsernameQuarantine(NamedParameterJdbcTemplate jdbc, SecretCipher cipher, Clock clock,
			AccountProperties properties) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.clock = clock;
		this.properties = properties;
	}

	/** Keeps the (deleted) account's username taken, in the caller's transaction. */
	void hold(String usernameKey) {
		Instant releaseAt = this.clock.instant().plus(this.properties.deletedUsernameQuarantine());
		List<String> hashes = this.cipher.keyedHashes(usernameKey);
		this.jdbc.update("delete from deleted_username where username_hash in (:hashes)", Map.of("hashes", hashes));
		this.jdbc.update("insert into deleted_username (username_hash, release_at) values (:hash, :releaseAt)",
				Map.of("hash", this.cipher.keyedHash(usernameKey), "releaseAt", Timestamp.from(releaseAt)));
	}

	/** Whether the name is still held; lets go of every name whose time has passed. */
	boolean holds(String usernameKey) {
		Timestamp now = Timestamp.from(this.clock.instant());
		this.jdbc.update("delete from deleted_username where release_at <= :now", Map.of("now", now));
		Integer held = this.jdbc.queryForObject(
				"select count(*) from deleted_username where username_hash in (:hashes) and release_at > :now",
				Map.of("hashes", this.cipher.keyedHashes(usernameKey), "now", now), Integer.class);
		return held != null && held > 0;
	}

}
