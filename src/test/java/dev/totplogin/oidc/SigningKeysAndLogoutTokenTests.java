package dev.totplogin.oidc;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.totplogin.crypto.SecretCipher;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The signing keys (in the database, encrypted, rotated by the operator command with the
 * old key kept published), and the logout token a client's back-channel logout endpoint
 * receives, read back by an independent JOSE library (Nimbus) against the JWKS.
 */
@MockMvcAppTest
@TestPropertySource(properties = { "app.base-url=http://login.example.test",
		"app.oidc.clients.wiki.redirect-uris=http://wiki.example.test/callback" })
class SigningKeysAndLogoutTokenTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private SigningKeys keys;

	@Autowired
	private MutableClock clock;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private SecretCipher cipher;

	@Autowired
	private TokenClaims claims;

	@Autowired
	private List<ApplicationRunner> runners;

	@Test
	void keyWhenStoredThenThePrivatePartIsEncryptedAndOnlyThePublicPartPublished() throws Exception {
		String kid = this.keys.active().getKeyID();
		String stored = this.jdbc.queryForObject("select jwk from oidc_signing_key where kid = ?", String.class, kid);
		assertThat(stored).startsWith("v1.").doesNotContain("\"d\"");
		assertThat(this.cipher.decrypt(stored, "oidc-signing-key:" + kid)).contains("\"d\"");
		JWKSet published = jwks();
		assertThat(published.getKeyByKeyId(kid)).isNotNull();
		assertThat(published.getKeys()).allSatisfy((key) -> assertThat(key.isPrivate()).isFalse());
	}

	@Test
	void rotateCommandWhenRunThenNewKeySignsAndTheOldStaysPublishedForAnHour() throws Exception {
		String old = this.keys.active().getKeyID();
		this.runners.forEach((runner) -> {
			try {
				runner.run(new DefaultApplicationArguments("--rotate-signing-key"));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		String rotated = this.keys.active().getKeyID();
		assertThat(rotated).isNotEqualTo(old);
		assertThat(jwks().getKeys()).extracting((key) -> key.getKeyID()).contains(old, rotated);
		this.clock.advance(SigningKeys.KEPT_AFTER_ROTATION.plus(SigningKeys.REFRESH).plusSeconds(1));
		assertThat(jwks().getKeys()).extracting((key) -> key.getKeyID()).contains(rotated).doesNotContain(old);
	}

	@Test
	void logoutTokenWhenSentThenSignedLogoutJwtWithSidSubAndTheEventButNoNonce() throws Exception {
		BlockingQueue<String> received = new ArrayBlockingQueue<>(1);
		HttpServer client = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		client.createContext("/logout", (exchange) -> {
			received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		client.start();
		try {
			Person person = new Person(this.mvc, this.clock).signedUp();
			long accountId = this.jdbc.queryForObject("select id from account where username = ?", Long.class,
					person.username());
			BackChannelLogout.Sender sender = new BackChannelLogout.Sender(
					new org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository(
							org.springframework.security.oauth2.server.authorization.client.RegisteredClient
								.withId("wiki")
								.clientId("wiki")
								.authorizationGrantType(
										org.springframework.security.oauth2.core.AuthorizationGrantType.AUTHORIZATION_CODE)
								.redirectUri("http://wiki.example.test/callback")
								.clientSettings(
										org.springframework.security.oauth2.server.authorization.settings.ClientSettings
											.builder()
											.setting(ConfiguredClients.BACKCHANNEL_LOGOUT_URI,
													"http://127.0.0.1:" + client.getAddress().getPort() + "/logout")
											.build())
								.build()),
					new NimbusJwtEncoder(this.keys), this.keys, this.claims, "http://login.example.test", this.clock);
			sender.send(new BackChannelLogout.Logout("wiki", accountId, "session-ref-1", null));
			String body = received.poll(10, TimeUnit.SECONDS);
			assertThat(body).startsWith("logout_token=");
			SignedJWT token = SignedJWT
				.parse(URLDecoder.decode(body.substring("logout_token=".length()), StandardCharsets.UTF_8));
			assertThat(token.getHeader().getType()).isEqualTo(new JOSEObjectType("logout+jwt"));
			RSAKey key = (RSAKey) jwks().getKeyByKeyId(token.getHeader().getKeyID());
			assertThat(token.verify(new RSASSAVerifier(key))).isTrue();
			Map<String, Object> claims = token.getJWTClaimsSet().getClaims();
			assertThat(claims.get("iss")).isEqualTo("http://login.example.test");
			assertThat(token.getJWTClaimsSet().getAudience()).containsExactly("wiki");
			assertThat(claims.get("sid")).isEqualTo(TokenClaims.sidOf("session-ref-1"));
			assertThat(claims.get("sub")).isEqualTo(this.claims.subjectOf(accountId));
			assertThat(claims).containsKeys("iat", "exp", "jti", "events").doesNotContainKey("nonce");
			assertThat((Map<String, Object>) claims.get("events"))
				.containsKey("http://schemas.openid.net/event/backchannel-logout");

			client.removeContext("/logout");
			client.createContext("/logout", (exchange) -> {
				exchange.sendResponseHeaders(503, -1);
				exchange.close();
			});
			assertThatIOException().as("a refusal is tried again later")
				.isThrownBy(() -> sender.send(new BackChannelLogout.Logout("wiki", 1L, "session-ref-1", null)))
				.withMessageContaining("503");
		}
		finally {
			client.stop(0);
		}
	}

	private JWKSet jwks() throws Exception {
		return JWKSet.parse(this.mvc.perform(MockMvcRequestBuilders.get("/oauth2/jwks"))
			.andReturn()
			.getResponse()
			.getContentAsString());
	}

}
