package dev.totplogin.oidc;

import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.totplogin.crypto.SecretCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The token signing keys, in the database and shared by every instance: an RSA key made
 * on the first start, the private part encrypted with {@code app.encryption}'s key as the
 * TOTP secrets are. The newest key signs; {@link #rotate()} (the
 * {@code --rotate-signing-key} command) makes a new one and keeps the old one published
 * in the JWKS until every token it signed has expired. Each instance reads the keys again
 * at most every {@link #REFRESH}, so a rotation reaches them all within that.
 */
@Component
public class SigningKeys implements JWKSource<SecurityContext> {

	private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

	static final Duration REFRESH = Duration.ofSeconds(30);

	/**
	 * How long a replaced key stays published: longer than any token it signed lives (ID
	 * tokens 30 minutes, access tokens 5).
	 */
	static final Duration KEPT_AFTER_ROTATION = Duration.ofHours(1);

	private final JdbcTemplate jdbc;

	private final SecretCipher cipher;

	private final Clock clock;

	private volatile Loaded loaded;

	private record Loaded(JWKSet keys, RSAKey active, Instant at) {
	}

	SigningKeys(JdbcTemplate jdbc, SecretCipher cipher, Clock clock) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.clock = clock;
	}

	@Override
	public List<JWK> get(com.nimbusds.jose.jwk.JWKSelector selector, SecurityContext context) {
		return selector.select(current().keys());
	}

	/** The key that signs new tokens. */
	public RSAKey active() {
		return current().active();
	}

	/**
	 * A new signing key; the one it replaces stays published for
	 * {@link #KEPT_AFTER_ROTATION}.
	 * @return the new key's id
	 */
	@Transactional
	public String rotate() {
		Instant now = this.clock.instant();
		this.jdbc.update("update oidc_signing_key set retire_after = ? where retire_after is null",
				Timestamp.from(now.plus(KEPT_AFTER_ROTATION)));
		String kid = insertNewKey(now);
		this.loaded = null;
		return kid;
	}

	private Loaded current() {
		Loaded current = this.loaded;
		Instant now = this.clock.instant();
		if (current == null || current.at().plus(REFRESH).isBefore(now)) {
			current = load(now);
			this.loaded = current;
		}
		return current;
	}

	private Loaded load(Instant now) {
		List<RSAKey> keys = read(now);
		if (keys.isEmpty()) {
			insertNewKey(now);
			keys = read(now);
		}
		return new Loaded(new JWKSet(List.copyOf(keys)), keys.get(0), now);
	}

	/** The keys still published, the one that signs (newest, not retiring) first. */
	private List<RSAKey> read(Instant now) {
		this.jdbc.update("delete from oidc_signing_key where retire_after < ?", Timestamp.from(now));
		return this.jdbc
			.query("select kid, jwk from oidc_signing_key order by case when retire_after is null then 0 else 1 end, "
					+ "created_at desc, kid", (row, n) -> parse(row.getString("kid"), row.getString("jwk")));
	}

	private String insertNewKey(Instant now) {
		String kid = UUID.randomUUID().toString();
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
			this.jdbc.update("insert into oidc_signing_key (kid, created_at, jwk) values (?, ?, ?)", kid,
					Timestamp.from(now), this.cipher.encrypt(key.toJSONString(), context(kid)));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("no RSA key generator", ex);
		}
		log.info("New token signing key {}", kid);
		return kid;
	}

	private RSAKey parse(String kid, String stored) {
		try {
			return RSAKey.parse(this.cipher.decrypt(stored, context(kid)));
		}
		catch (ParseException ex) {
			throw new IllegalStateException("signing key " + kid + " unreadable", ex);
		}
	}

	private static String context(String kid) {
		return "oidc-signing-key:" + kid;
	}

}
