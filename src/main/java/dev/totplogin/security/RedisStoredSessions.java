package dev.totplogin.security;

import java.time.Duration;

import org.springframework.session.data.redis.RedisIndexedSessionRepository;

/**
 * The account's sessions in Redis, found by the repository's principal index and deleted,
 * then their data removed within seconds.
 * <p>
 * Where we differ from Spring Session: its {@code deleteById} removes the session from
 * the index and from expiry but leaves the session's hash (attributes, security context)
 * in Redis for five more minutes, so that a listener of the deletion event could still
 * read it (spring-projects/spring-session#1746). A deleted account must leave nothing
 * behind, so the hash expires in a few seconds instead: long enough for the repository's
 * own listener on each instance, which reads it once when Redis announces the deletion
 * (deleted at once, it would log a warning on every instance instead).
 */
class RedisStoredSessions implements StoredSessions {

	/** How long a deleted session's data stays for the deletion's listeners. */
	static final Duration LINGER = Duration.ofSeconds(5);

	private final RedisIndexedSessionRepository repository;

	RedisStoredSessions(RedisIndexedSessionRepository repository) {
		this.repository = repository;
	}

	@Override
	public void forgetAll(String username) {
		for (String id : this.repository.findByPrincipalName(username).keySet()) {
			this.repository.deleteById(id);
			this.repository.getSessionRedisOperations().expire(RedisSessionConfiguration.sessionKey(id), LINGER);
		}
	}

}
