package dev.totplogin.oidc;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * OpenID Connect Back-Channel Logout 1.0, the sending side, which Spring Security does
 * not have yet (spring-security #18296): a signed logout token ({@code typ: logout+jwt},
 * the client as audience, the session's {@code sid} and the person's {@code sub}, no
 * {@code nonce}) posted to the client's back-channel logout URI. Each one is a
 * db-scheduler task, queued in the transaction that ends the sign-in, tried again with a
 * growing wait until the client answers 200 or 204 (the mail outbox's guarantees).
 */
final class BackChannelLogout {

	private static final Logger log = LoggerFactory.getLogger(BackChannelLogout.class);

	static final String TASK = "oidc-backchannel-logout";

	private static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

	private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(2);

	/**
	 * What a queued logout names; never a token (it is signed when sent).
	 *
	 * @param subject the person's {@code sub} when the account may be gone by the time it
	 * is sent (a deleted account's); null: looked up then (a logout queued before this
	 * field existed deserializes with null too)
	 */
	record Logout(String clientId, long accountId, String sessionRef, String subject) implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

	}

	private static final Duration FIRST_RETRY = Duration.ofSeconds(2);

	private static final Duration LONGEST_RETRY = Duration.ofHours(1);

	private static final int MAX_TRIES = 36;

	private final SchedulerClient queue;

	private final OneTimeTask<Logout> task;

	BackChannelLogout(SchedulerClient queue, OneTimeTask<Logout> task) {
		this.queue = queue;
		this.task = task;
	}

	void queue(String clientId, long accountId, String sessionRef, String subject) {
		this.queue.scheduleIfNotExists(
				this.task.instance(UUID.randomUUID().toString(), new Logout(clientId, accountId, sessionRef, subject)),
				// db-scheduler compares execution times with the system clock, not the
				// application's Clock (which tests move on)
				Instant.now());
	}

	/**
	 * A logout the client did not take is tried again after 2 s, then twice as long each
	 * time up to an hour between tries, for about a day; then dropped (logged).
	 */
	static FailureHandler<Logout> retries() {
		return (complete, operations) -> {
			int failures = complete.getExecution().consecutiveFailures + 1;
			if (failures >= MAX_TRIES) {
				log.warn("Back-channel logout to {} dropped after {} failed attempts",
						((Logout) complete.getExecution().taskInstance.getData()).clientId(), failures);
				operations.stop();
				return;
			}
			Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(failures - 1, 20));
			operations.reschedule(complete,
					Instant.now().plus((wait.compareTo(LONGEST_RETRY) > 0) ? LONGEST_RETRY : wait));
		};
	}

	/** Sends one logout token; throws (to be tried again) unless the client took it. */
	static final class Sender {

		private final RegisteredClientRepository clients;

		private final JwtEncoder encoder;

		private final SigningKeys keys;

		private final TokenClaims claims;

		private final String issuer;

		private final Clock clock;

		private final HttpClient http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();

		Sender(RegisteredClientRepository clients, JwtEncoder encoder, SigningKeys keys, TokenClaims claims,
				String issuer, Clock clock) {
			this.clients = clients;
			this.encoder = encoder;
			this.keys = keys;
			this.claims = claims;
			this.issuer = issuer;
			this.clock = clock;
		}

		void send(Logout logout) throws IOException, InterruptedException {
			RegisteredClient client = this.clients.findById(logout.clientId());
			Object uri = (client != null)
					? client.getClientSettings().getSetting(ConfiguredClients.BACKCHANNEL_LOGOUT_URI) : null;
			if (uri == null) {
				log.info("Back-channel logout for {} dropped: the client no longer takes one", logout.clientId());
				return;
			}
			Instant now = this.clock.instant();
			JwtClaimsSet token = JwtClaimsSet.builder()
				.issuer(this.issuer)
				.audience(List.of(logout.clientId()))
				.issuedAt(now)
				.expiresAt(now.plus(TOKEN_LIFETIME))
				.id(UUID.randomUUID().toString())
				.subject((logout.subject() != null) ? logout.subject() : this.claims.subjectOf(logout.accountId()))
				.claim("sid", TokenClaims.sidOf(logout.sessionRef()))
				.claim("events", Map.of(EVENT, Map.of()))
				.build();
			JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256)
				.type("logout+jwt")
				.keyId(this.keys.active().getKeyID())
				.build();
			String jwt = this.encoder.encode(JwtEncoderParameters.from(header, token)).getTokenValue();
			HttpRequest request = HttpRequest.newBuilder(URI.create(uri.toString()))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Cache-Control", "no-store")
				.POST(HttpRequest.BodyPublishers
					.ofString("logout_token=" + URLEncoder.encode(jwt, StandardCharsets.UTF_8)))
				.build();
			int status = this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
			if (status != 200 && status != 204) {
				throw new IOException("back-channel logout to " + logout.clientId() + " answered " + status);
			}
			log.info("Back-channel logout delivered to {}", logout.clientId());
		}

	}

}
