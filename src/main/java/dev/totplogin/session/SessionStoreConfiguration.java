package dev.totplogin.session;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts {@link ThriftySessionRepository} in front of the store Spring Boot configures. A
 * bean post-processor, not a {@code SessionRepository} bean of our own: Spring Boot's
 * session auto-configuration backs off when one exists, and the store's own configuration
 * (JDBC or Redis, its properties and customizers) is what we want.
 */
@Configuration(proxyBeanMethods = false)
class SessionStoreConfiguration {

	@Bean
	static BeanPostProcessor thriftySessionRepository() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof FindByIndexNameSessionRepository<?> store
						&& !(bean instanceof ThriftySessionRepository<?>)) {
					return new ThriftySessionRepository<>(store);
				}
				return bean;
			}
		};
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
