package dev.totplogin.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole application behind MockMvc, with the test clock. MockMvc carries a session as
 * a {@code MockHttpSession}, which only the servlet container's own sessions honour, so
 * these tests run without Spring Session JDBC; every test over real HTTP (server,
 * browser, restart, two instances on PostgreSQL) runs with it, as production does.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(properties = "spring.autoconfigure.exclude="
		+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
		+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
		// The rest of application.yml's list, which this one replaces: no Redis here
		// either.
		+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration")
@AutoConfigureMockMvc
@ActiveProfiles("test")
@Import({ TestClockConfiguration.class, CountingPasswordEncoder.Configuration.class })
public @interface MockMvcAppTest {

}
