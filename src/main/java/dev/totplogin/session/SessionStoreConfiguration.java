package dev.totplogin.session;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts {@link ThriftySessionRepository} in front of Spring Session JDBC's repository for
 * {@code SessionRepositoryFilter}: a second repository, the {@code @Primary} one, so that
 * what injects the store by its concrete type still gets the store's. Not in front of
 * Redis's (profile {@code redis}): there its writes are not SQL, and with it in front an
 * account's deletion left an entry in Redis's principal index
 * ({@code TwoInstancesOnRedisIT}), not understood yet. An auto-configuration ordered
 * after Spring Boot's JDBC sessions (listed in
 * {@code META-INF/spring/...AutoConfiguration.imports}, hence not component-scanned),
 * because Spring Boot backs off from JDBC sessions when a {@code SessionRepository} is
 * already defined.
 */
@AutoConfiguration(afterName = "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration")
public final class SessionStoreConfiguration {

	SessionStoreConfiguration() {
	}

	@Bean
	@Primary
	@ConditionalOnBean(JdbcIndexedSessionRepository.class)
	ThriftySessionRepository<?> thriftySessionRepository(JdbcIndexedSessionRepository store) {
		return new ThriftySessionRepository<>(store);
	}

	/**
	 * The bounds of one request for the repository's memory, just outside Spring
	 * Session's filter.
	 */
	@Bean
	FilterRegistrationBean<OncePerRequestFilter> sessionRequestScope() {
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
				new OncePerRequestFilter() {
					@Override
					protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
							FilterChain chain) throws ServletException, IOException {
						ThriftySessionRepository.RequestScope.open();
						try {
							chain.doFilter(request, response);
						}
						finally {
							ThriftySessionRepository.RequestScope.close();
						}
					}
				});
		registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER - 1);
		return registration;
	}

}
