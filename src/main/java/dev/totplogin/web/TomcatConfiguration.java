package dev.totplogin.web;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

	/**
	 * An encoded slash ({@code /account%2f}) reaches the application instead of being
	 * refused by Tomcat with its own bare page: Spring Security's firewall refuses it
	 * with the application's error page and headers.
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashesToTheFirewall() {
		return (factory) -> factory
			.addConnectorCustomizers((connector) -> connector.setEncodedSolidusHandling("passthrough"));
	}

}
