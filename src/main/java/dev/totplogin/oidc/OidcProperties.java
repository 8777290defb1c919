package dev.totplogin.oidc;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The applications that sign people in here ({@code app.oidc.clients.<id>}), from
 * configuration only: there is no dynamic registration, and no consent page (these are
 * the operator's own first-party applications).
 *
 * @param clients by client id
 */
@ConfigurationProperties("app.oidc")
public record OidcProperties(@DefaultValue Map<String, Client> clients) {

	/**
	 * One application.
	 *
	 * @param redirectUris where codes may be sent, each matched exactly
	 * @param secret the client secret (kept hashed); absent for a public client, which
	 * proves itself with PKCE alone (PKCE is required of every client)
	 * @param scopes what it may ask for, from {@code openid profile email}
	 * @param postLogoutRedirectUris where RP-initiated logout may send the person back
	 * @param backchannelLogoutUri where a logout token is posted when a session that
	 * signed in to it ends here (OpenID Connect Back-Channel Logout 1.0), or absent
	 */
	public record Client(@DefaultValue List<URI> redirectUris, String secret, @DefaultValue( {
			"openid", "profile", "email" }) Set<String> scopes, @DefaultValue List<URI> postLogoutRedirectUris,
			URI backchannelLogoutUri){
	}

}
