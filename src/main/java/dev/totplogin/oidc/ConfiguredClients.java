package dev.totplogin.oidc;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The clients of {@code app.oidc.clients}, read once at start-up and the same on every
 * instance (no database read per request). There is no dynamic registration:
 * {@link #save} refuses. Every client must use PKCE; a client with a secret is
 * confidential (its secret kept only as a hash, {@link ClientSecrets}), one without is
 * public. No consent page: these are the operator's own applications.
 */
final class ConfiguredClients implements RegisteredClientRepository {

	/** The {@link ClientSettings} entry naming the client's back-channel logout URI. */
	static final String BACKCHANNEL_LOGOUT_URI = "app.backchannel-logout-uri";

	private final Map<String, RegisteredClient> byId = new LinkedHashMap<>();

	ConfiguredClients(OidcProperties properties, ClientSecrets passwordEncoder) {
		properties.clients().forEach((id, client) -> this.byId.put(id, registered(id, client, passwordEncoder)));
	}

	private static RegisteredClient registered(String id, OidcProperties.Client client, ClientSecrets encoder) {
		if (client.redirectUris().isEmpty()) {
			throw new IllegalStateException("app.oidc.clients." + id + ".redirect-uris: at least one is needed");
		}
		ClientSettings.Builder settings = ClientSettings.builder()
			.requireProofKey(true)
			.requireAuthorizationConsent(false);
		if (client.backchannelLogoutUri() != null) {
			settings.setting(BACKCHANNEL_LOGOUT_URI, client.backchannelLogoutUri().toString());
		}
		RegisteredClient.Builder builder = RegisteredClient.withId(id)
			.clientId(id)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
			.redirectUris((uris) -> client.redirectUris().stream().map(URI::toString).forEach(uris::add))
			.postLogoutRedirectUris(
					(uris) -> client.postLogoutRedirectUris().stream().map(URI::toString).forEach(uris::add))
			.scopes((scopes) -> scopes.addAll(client.scopes()))
			.clientSettings(settings.build())
			// A refresh token is used once: each refresh gives a new one.
			.tokenSettings(TokenSettings.builder()
				.accessTokenTimeToLive(Duration.ofMinutes(5))
				.refreshTokenTimeToLive(Duration.ofHours(8))
				.reuseRefreshTokens(false)
				.build());
		if (client.secret() != null && !client.secret().isBlank()) {
			if (client.secret().length() < ClientSecrets.MIN_LENGTH) {
				throw new IllegalStateException("app.oidc.clients." + id + ".secret: at least "
						+ ClientSecrets.MIN_LENGTH + " characters of a random value (e.g. openssl rand -hex 24)");
			}
			builder.clientSecret(encoder.encode(client.secret()))
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
		}
		else {
			builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
		}
		return builder.build();
	}

	@Override
	public void save(RegisteredClient registeredClient) {
		throw new UnsupportedOperationException("clients come from app.oidc.clients only");
	}

	@Override
	public RegisteredClient findById(String id) {
		return this.byId.get(id);
	}

	@Override
	public RegisteredClient findByClientId(String clientId) {
		return this.byId.get(clientId);
	}

	Iterable<RegisteredClient> all() {
		return this.byId.values();
	}

}
