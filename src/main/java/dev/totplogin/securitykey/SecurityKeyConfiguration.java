package dev.totplogin.securitykey;

import java.net.URI;
import java.util.Set;

import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.mail.SiteProperties;
import dev.totplogin.totp.TotpProperties;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.management.JdbcPublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.security.web.webauthn.management.Webauthn4JRelyingPartyOperations;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The pieces Spring Security's {@code http.webAuthn()} looks up as beans: the two JDBC
 * repositories, and the relying party, whose id and only allowed origin come from
 * {@code app.base-url} (so {@code localhost} in development, the real host in
 * {@code prod}), never from a request's Host header.
 */
@Configuration(proxyBeanMethods = false)
class SecurityKeyConfiguration {

	@Bean
	PublicKeyCredentialUserEntityRepository userEntityRepository(JdbcOperations jdbc) {
		return new JdbcPublicKeyCredentialUserEntityRepository(jdbc);
	}

	@Bean
	UserCredentialRepository userCredentialRepository(JdbcOperations jdbc,
			PublicKeyCredentialUserEntityRepository userEntities, AccountRepository accounts, AuditLog audit,
			TransactionTemplate transaction) {
		return new RecordedUserCredentials(jdbc, userEntities, accounts, audit, transaction);
	}

	@Bean
	WebAuthnRelyingPartyOperations relyingParty(PublicKeyCredentialUserEntityRepository userEntities,
			UserCredentialRepository credentials, SiteProperties site, TotpProperties totp, JdbcOperations jdbc,
			TransactionTemplate transaction) {
		URI base = site.baseUrl();
		Webauthn4JRelyingPartyOperations relyingParty = new Webauthn4JRelyingPartyOperations(userEntities, credentials,
				PublicKeyCredentialRpEntity.builder().id(base.getHost()).name(totp.issuer()).build(),
				Set.of(origin(base)));
		// A passkey or a security key, as the person asked on the account page.
		return new KeyKinds(relyingParty, jdbc, transaction);
	}

	/** Before Spring Security's filter chain, so that it bounds what reaches it. */
	@Bean
	FilterRegistrationBean<SecurityKeyEndpointGuard> securityKeyEndpointGuard() {
		FilterRegistrationBean<SecurityKeyEndpointGuard> registration = new FilterRegistrationBean<>(
				new SecurityKeyEndpointGuard());
		registration.addUrlPatterns(SecurityKeyEndpointGuard.URL_PATTERNS);
		registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
		return registration;
	}

	static String origin(URI base) {
		return base.getScheme() + "://" + base.getHost() + ((base.getPort() == -1) ? "" : ":" + base.getPort());
	}

}
