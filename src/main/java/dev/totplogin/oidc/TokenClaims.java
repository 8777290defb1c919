package dev.totplogin.oidc;

import java.util.ArrayList;
import java.util.Date;
import java.util.UUID;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.crypto.Tokens;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.Assurance;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/**
 * What the tokens say about the person, beyond what Spring Security's
 * {@code JwtGenerator} puts in (it issues {@code auth_time} but no {@code amr} or
 * {@code acr}, and takes {@code sub} from the username): a stable opaque {@code sub},
 * {@code amr}, {@code acr} and {@code auth_time} from the one mapping of the session's
 * factors ({@link Assurance}), {@code sid} naming the signed-in session (back-channel
 * logout names it again), the username and, with scope {@code email}, the address. The
 * authentication read here is the one stored when the code was issued, so a token,
 * refreshed or not, never claims more than that session proved.
 */
@Component
class TokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

	private final JdbcTemplate jdbc;

	private final AccountRepository accounts;

	private final SigningKeys keys;

	TokenClaims(JdbcTemplate jdbc, AccountRepository accounts, SigningKeys keys) {
		this.jdbc = jdbc;
		this.accounts = accounts;
		this.keys = keys;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		context.getJwsHeader().keyId(this.keys.active().getKeyID());
		Authentication authentication = context.getPrincipal();
		if (!(authentication.getPrincipal() instanceof AccountPrincipal principal)) {
			return;
		}
		String subject = subjectOf(principal.accountId());
		context.getClaims().subject(subject);
		if (!OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
			return;
		}
		Assurance assurance = Assurance.of(authentication)
			.orElseThrow(() -> new IllegalStateException("a token for a sign-in that is not complete"));
		context.getClaims()
			// A mutable list: the authorization's JSON allows only the usual collection
			// types.
			.claim("amr", new ArrayList<>(assurance.amr()))
			.claim("acr", assurance.acr())
			// A Date, as JwtGenerator's own: its refresh path reads it back as one.
			.claim("auth_time", Date.from(assurance.authTime()))
			.claim("preferred_username", principal.getUsername());
		if (principal.signedInSession() != null) {
			context.getClaims().claim("sid", sidOf(principal.signedInSession()));
		}
		if (context.getAuthorizedScopes().contains(OidcScopes.EMAIL)) {
			Account account = this.accounts.findById(principal.accountId()).orElseThrow();
			if (account.getEmail() != null) {
				context.getClaims()
					.claim("email", account.getEmail())
					.claim("email_verified", account.isEmailVerified());
			}
		}
		context.getClaims().claims((claims) -> claims.remove(JwtClaimNames.JTI));
	}

	/**
	 * The {@code sid} of a signed-in session: a hash of its reference, never the
	 * reference.
	 */
	static String sidOf(String sessionRef) {
		return Tokens.sha256("sid:" + sessionRef);
	}

	/** The account's {@code sub}: made once, random, the same on every instance. */
	String subjectOf(long accountId) {
		String existing = find(accountId);
		if (existing != null) {
			return existing;
		}
		try {
			this.jdbc.update("insert into oidc_subject (account_id, subject) values (?, ?)", accountId,
					UUID.randomUUID().toString());
		}
		catch (DuplicateKeyException raced) {
			// Another request made it first: that one stands.
		}
		return find(accountId);
	}

	private String find(long accountId) {
		return this.jdbc
			.query("select subject from oidc_subject where account_id = ?", (row, n) -> row.getString(1), accountId)
			.stream()
			.findFirst()
			.orElse(null);
	}

}
