package dev.totplogin.web;

import dev.totplogin.security.SecurityHeaders;
import jakarta.servlet.DispatcherType;
import org.thymeleaf.ITemplateEngine;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.web.servlet.LocaleResolver;

/** The "temporarily unavailable" answer when the database cannot be reached. */
@Configuration(proxyBeanMethods = false)
class DatabaseUnavailableConfiguration {

	@Bean
	FilterRegistrationBean<DatabaseUnavailableFilter> databaseUnavailableFilter(ITemplateEngine templates,
			LocaleResolver locales, SecurityHeaders securityHeaders) {
		FilterRegistrationBean<DatabaseUnavailableFilter> registration = new FilterRegistrationBean<>(
				new DatabaseUnavailableFilter(templates, locales, securityHeaders));
		// Outside Spring Session's filter, which loads the session before and saves it
		// after the request.
		registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER - 10);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
		return registration;
	}

}
