package dev.totplogin.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * Page links are written as they are in the templates. Spring Boot would otherwise
 * register a {@link ResourceUrlEncodingFilter} (because of the WebJars locator) that
 * resolves every link of every page against the resource chain, classpath lookups
 * included: 22 % of the request threads' CPU besides the password hash
 * (docs/benchmarks.md, what the profiles showed). The versionless
 * {@code /webjars/bootstrap/...} URL is resolved once, when a browser first asks for it.
 */
@Configuration(proxyBeanMethods = false)
class StaticResourcesConfiguration {

	@Bean
	FilterRegistrationBean<ResourceUrlEncodingFilter> resourceUrlEncodingFilter() {
		FilterRegistrationBean<ResourceUrlEncodingFilter> registration = new FilterRegistrationBean<>(
				new ResourceUrlEncodingFilter());
		registration.setEnabled(false);
		return registration;
	}

}
