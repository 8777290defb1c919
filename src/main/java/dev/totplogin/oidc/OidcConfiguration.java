package dev.totplogin.oidc;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.mail.SiteProperties;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.Assurance;
import dev.totplogin.security.SecurityHeaders;
import dev.totplogin.security.SecurityProperties;
import dev.totplogin.security.SessionValidity;
import dev.totplogin.security.SessionValidityFilter;
import dev.totplogin.security.SignInState;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.jackson.SecurityJacksonModules;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.oidc.web.authentication.OidcLogoutAuthenticationSuccessHandler;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;

/**
 * The OpenID Connect provider: Spring Security's authorization server in a filter chain
 * of its own, ahead of the application's, for its endpoints only (discovery, JWKS,
 * authorize, token, UserInfo, RP-initiated logout). What is ours:
 * <ul>
 * <li>the sign-in: {@code /oauth2/authorize} needs a complete sign-in
 * ({@link AuthorizeRule}), found through the application's own pages, lockouts and second
 * factors ({@link SignInFirst}); a session ended elsewhere is ended here too (the
 * application's {@link SessionValidityFilter});</li>
 * <li>the clients from configuration ({@link ConfiguredClients}), the authorizations in
 * the database tied to their sessions ({@link ClientSessions}), the keys in the database
 * ({@link SigningKeys}), the claims ({@link TokenClaims});</li>
 * <li>signing out: RP-initiated logout is the application's sign-out, and a session that
 * ends here ends the clients' sessions (back-channel logout,
 * {@link BackChannelLogout}).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class OidcConfiguration {

	/** How often ended sessions are looked for, on one instance at a time. */
	static final Duration SWEEP_INTERVAL = Duration.ofSeconds(3);

	private static final RequestMatcher AUTHORIZE = PathPatternRequestMatcher.withDefaults()
		.matcher("/oauth2/authorize");

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	@ConditionalOnWebApplication
	SecurityFilterChain openIdProvider(HttpSecurity http, AuthorizeRule authorizeRule, RequestCache requestCache,
			SignInState signInState, SessionValidity validity, AuditLog audit, RegisteredClientRepository clients,
			SecurityHeaders securityHeaders) {
		SignInFirst signInFirst = new SignInFirst(requestCache, signInState, clients);
		OidcLogoutAuthenticationSuccessHandler signedOut = new OidcLogoutAuthenticationSuccessHandler();
		signedOut.setLogoutHandler((request, response, logout) -> {
			// The application's own sign-out: its row, its audit event, the session.
			if (logout instanceof OidcLogoutAuthenticationToken token && token.isPrincipalAuthenticated()
					&& token.getPrincipal() instanceof Authentication session
					&& session.getPrincipal() instanceof AccountPrincipal principal) {
				audit.record(principal.accountId(), SecurityEventType.SIGNED_OUT);
				signInState.end(request);
			}
		});
		// @formatter:off
		http.oauth2AuthorizationServer((server) -> {
			http.securityMatcher(server.getEndpointsMatcher());
			server.clientAuthentication((authentication) -> authentication.authenticationProviders((providers) -> providers
					.forEach((provider) -> {
						if (provider instanceof ClientSecretAuthenticationProvider secrets) {
							secrets.setPasswordEncoder(new ClientSecrets());
						}
					})));
			server.authorizationEndpoint((authorize) -> authorize.authenticationProviders((providers) -> providers
					.forEach((provider) -> {
						if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codeRequest) {
							codeRequest.setAuthenticationValidator(
									new OAuth2AuthorizationCodeRequestAuthenticationValidator()
										.andThen(RequestSyntax::check));
						}
					})))
				.oidc((oidc) -> oidc
					.providerConfigurationEndpoint((discovery) -> discovery.providerConfigurationCustomizer((metadata) -> metadata
						.claim("acr_values_supported", Assurance.LEVELS)
						.claim("claims_supported", List.of("sub", "preferred_username", "email", "email_verified",
								"auth_time", "amr", "acr", "sid"))
						.claim("request_parameter_supported", false)
						.claim("request_uri_parameter_supported", false)
						.claim("backchannel_logout_supported", true)
						.claim("backchannel_logout_session_supported", true)))
					.logoutEndpoint((logout) -> logout.logoutResponseHandler(signedOut)));
		});
		http.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/oauth2/authorize").access(authorizeRule)
				.anyRequest().authenticated())
			.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()))
			.requestCache((cache) -> cache.requestCache(requestCache))
			.exceptionHandling((exceptions) -> exceptions
				.defaultAuthenticationEntryPointFor(signInFirst, AUTHORIZE)
				.defaultAccessDeniedHandlerFor(signInFirst, AUTHORIZE))
			.headers((headers) -> {
				headers.defaultsDisabled();
				securityHeaders.writers().forEach(headers::addHeaderWriter);
			})
			.addFilterAfter(new SessionValidityFilter(signInState, validity), AnonymousAuthenticationFilter.class)
			.addFilterBefore(RequestSyntax.noRequestUri(), SecurityContextHolderFilter.class);
		// @formatter:on
		return http.build();
	}

	/**
	 * The clients' redirect URIs may follow the code step's form post: the pages'
	 * {@code form-action} names their origins ({@link SecurityHeaders}).
	 */
	@Bean
	SecurityHeaders.FormTargets clientRedirectOrigins(ConfiguredClients clients) {
		return clients::redirectOrigins;
	}

	@Bean
	SessionRegistry signedInSessionRegistry() {
		return new SignedInSessionRegistry();
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings(SiteProperties site) {
		return AuthorizationServerSettings.builder().issuer(issuer(site)).build();
	}

	@Bean
	ConfiguredClients registeredClients(OidcProperties properties) {
		return new ConfiguredClients(properties, new ClientSecrets());
	}

	/**
	 * Spring Security's JDBC authorizations, whose JSON may hold our principal (allowed
	 * by name, never its password hash), each tied to its signed-in session.
	 */
	@Bean
	ClientSessions authorizationService(JdbcTemplate jdbc, RegisteredClientRepository clients, Clock clock,
			SecurityProperties security) {
		BasicPolymorphicTypeValidator.Builder types = BasicPolymorphicTypeValidator.builder()
			.allowIfSubType(AccountPrincipal.class);
		JsonMapper json = JsonMapper.builder()
			.addModules(SecurityJacksonModules.getModules(getClass().getClassLoader(), types))
			.addMixIn(AccountPrincipal.class, AccountPrincipalMixin.class)
			.build();
		JdbcOAuth2AuthorizationService stored = new JdbcOAuth2AuthorizationService(jdbc, clients);
		stored.setAuthorizationRowMapper(
				new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationRowMapper(clients, json));
		stored.setAuthorizationParametersMapper(
				new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationParametersMapper(json));
		return new ClientSessions(stored, jdbc, clients, clock, security.idleTimeout());
	}

	@Bean
	JwtEncoder logoutTokenEncoder(SigningKeys keys) {
		return new NimbusJwtEncoder(keys);
	}

	@Bean
	OneTimeTask<BackChannelLogout.Logout> backChannelLogoutTask(RegisteredClientRepository clients, SigningKeys keys,
			TokenClaims claims, SiteProperties site, Clock clock) {
		BackChannelLogout.Sender sender = new BackChannelLogout.Sender(clients, new NimbusJwtEncoder(keys), keys,
				claims, issuer(site), clock);
		return Tasks.oneTime(BackChannelLogout.TASK, BackChannelLogout.Logout.class)
			.onFailure(BackChannelLogout.retries())
			.execute((instance, context) -> {
				try {
					sender.send(instance.getData());
				}
				catch (Exception ex) {
					throw new IllegalStateException(
							"back-channel logout to " + instance.getData().clientId() + " not delivered", ex);
				}
			});
	}

	@Bean
	BackChannelLogout backChannelLogout(DataSource dataSource, OneTimeTask<BackChannelLogout.Logout> task) {
		SchedulerClient queue = SchedulerClient.Builder.create(new TransactionAwareDataSourceProxy(dataSource), task)
			.build();
		return new BackChannelLogout(queue, task);
	}

	@Bean
	RecurringTask<Void> endedSessionsSweep(ClientSessions sessions, TransactionTemplate transactions,
			BackChannelLogout logouts) {
		return Tasks.recurring("oidc-ended-sessions", Schedules.fixedDelay(SWEEP_INTERVAL))
			.execute((instance, context) -> sessions.end(sessions.orphans(), transactions, logouts));
	}

	static String issuer(SiteProperties site) {
		String base = site.baseUrl().toString();
		return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

}
