package dev.totplogin.security;

import org.springframework.boot.session.autoconfigure.SessionTimeout;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Profile;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.config.ConfigureRedisAction;
import org.springframework.session.data.redis.config.annotation.web.http.RedisIndexedHttpSessionConfiguration;

/**
 * Sessions in Redis with the profile {@code redis} (application-redis.yml, which also
 * turns Spring Session JDBC off; the default profile turns Redis off): Spring Session's
 * indexed repository, so that an account's sessions can be found by its name
 * ({@link FindByIndexNameSessionRepository}), on the connection Spring Boot makes from
 * {@code spring.data.redis.*}.
 * <p>
 * Configured here rather than by Spring Boot's {@code spring-boot-session-data-redis}:
 * its 4.1.0 is not published where our builds resolve from (4.1.2 is, but the other Boot
 * modules are 4.1.0), so this does what its auto-configuration would for the indexed
 * repository: the store's default lifetime from {@code server.servlet.session.timeout},
 * the cookie as Spring Boot configures it.
 * <p>
 * The repository needs Redis to publish expiry events
 * ({@code notify-keyspace-events Egx}) to clean up its index when a session expires;
 * Spring Session would set that itself with {@code CONFIG SET} at start-up. It does not
 * here ({@link ConfigureRedisAction#NO_OP}): the application's Redis user needs no
 * administrative command, and managed Redis services refuse it; the server is configured
 * instead (docs/production.md).
 */
@Configuration(proxyBeanMethods = false)
@Profile(RedisSessionConfiguration.PROFILE)
@Import(RedisIndexedHttpSessionConfiguration.class)
class RedisSessionConfiguration {

	/** The profile that keeps the sessions in Redis. */
	static final String PROFILE = "redis";

	/** Spring Session's own default, set here so that the keys are ours to name. */
	static final String NAMESPACE = "spring:session";

	@Bean
	ConfigureRedisAction configureRedisAction() {
		return ConfigureRedisAction.NO_OP;
	}

	@Bean
	SessionRepositoryCustomizer<RedisIndexedSessionRepository> sessionRepositoryCustomizer(SessionTimeout timeout) {
		return (repository) -> {
			repository.setDefaultMaxInactiveInterval(timeout.getTimeout());
			repository.setRedisKeyNamespace(NAMESPACE);
		};
	}

	@Bean
	StoredSessions redisStoredSessions(RedisIndexedSessionRepository repository) {
		return new RedisStoredSessions(repository);
	}

	/** The key of a session's hash: its attributes. */
	static String sessionKey(String sessionId) {
		return NAMESPACE + ":sessions:" + sessionId;
	}

}
