package dev.totplogin.security;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.session.SessionRepository;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default profile keeps the sessions in the database and has nothing of Redis: no
 * connection factory, template, health check or session repository of it, so nothing
 * connects to a Redis that is not there. (The profile redis, the other way round, is
 * checked by {@code TwoInstancesOnRedisIT} on a real Redis.)
 */
@SpringBootTest
@ActiveProfiles("test")
class DefaultSessionStoreTests {

	@Autowired
	private ConfigurableApplicationContext context;

	@Test
	void sessionStoreWhenDefaultProfileThenJdbcAndNoBeanOfRedis() {
		// Spring Session JDBC's repository, behind the one that writes less
		// (session.ThriftySessionRepository).
		assertThat(this.context.getBean(SessionRepository.class)).extracting("store")
			.isSameAs(this.context.getBean(JdbcIndexedSessionRepository.class));
		assertThat(this.context.getBean(StoredSessions.class)).isInstanceOf(JdbcStoredSessions.class);
		assertThat(Arrays.stream(this.context.getBeanDefinitionNames())
			.filter((name) -> name.toLowerCase().contains("redis") || name.toLowerCase().contains("lettuce")))
			.isEmpty();
		assertThat(Arrays.stream(this.context.getBeanDefinitionNames())
			.map((name) -> this.context.getBeanFactory().getType(name))
			.filter((type) -> type != null)
			.map(Class::getName)
			.filter((type) -> type.startsWith("org.springframework.data.redis.")
					|| type.startsWith("org.springframework.session.data.redis.") || type.startsWith("io.lettuce.")
					|| type.startsWith("org.springframework.boot.data.redis.")))
			.isEmpty();
	}

}
