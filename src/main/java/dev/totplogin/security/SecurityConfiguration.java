package dev.totplogin.security;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/** No inline script or style, no plugins, no framing, forms post only to us (OWASP ASVS 5.0, 3.4). */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

	private static final String ARGON2 = "argon2";

	/**
	 * Our own static files (spring.web.resources.static-path-pattern). Not "/**": every URL no controller answers
	 * would then be looked up as a classpath resource first.
	 */
	static final String ASSETS = "/assets/**";

	static final String WEBJARS = "/webjars/**";

	@Bean
	@ConditionalOnWebApplication
	SecurityFilterChain securityFilterChain(HttpSecurity http, SignIn signIn, Clock clock,
			AuthenticationProperties properties, SecurityContextRepository contextRepository,
			CsrfTokenRepository csrfTokenRepository, AccountRepository accounts, AuditLog audit) {
		http.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/login", "/register", "/error", ASSETS, WEBJARS,
						"/actuator/health", "/actuator/health/**", "/actuator/info")
				.permitAll()
				.requestMatchers(PartialAuthenticationFilter.SETUP_PAGE, PartialAuthenticationFilter.SETUP_PAGE + "/**",
						PartialAuthenticationFilter.VERIFY_PAGE, PartialAuthenticationFilter.VERIFY_PAGE + "/**")
				.hasAuthority(Factors.PASSWORD)
				.anyRequest()
				.hasAllAuthorities(Factors.PASSWORD, Factors.TOTP, Factors.ROLE_USER))
			.formLogin((form) -> form.loginPage("/login")
				.successHandler((request, response, authentication) -> {
					signIn.passwordVerified(authentication, request, response);
					boolean enrolled = ((AccountPrincipal) authentication.getPrincipal()).totpEnabled();
					response.sendRedirect(request.getContextPath() + (enrolled
							? PartialAuthenticationFilter.VERIFY_PAGE : PartialAuthenticationFilter.SETUP_PAGE));
				})
				.failureHandler((request, response, exception) -> {
					if (exception instanceof PasswordHashingBusyException) {
						Busy.respond(response);
						return;
					}
					RedirectWithMessage.send(request, response, "/login", "alert", "login.failed", "username",
							echoableUsername(request.getParameter("username")));
				}))
			.logout((logout) -> logout.addLogoutHandler((request, response, authentication) -> {
				if (authentication != null && authentication.getPrincipal() instanceof AccountPrincipal principal) {
					audit.record(principal.accountId(), SecurityEventType.SIGNED_OUT);
				}
			})
				.logoutSuccessHandler((request, response, authentication) -> RedirectWithMessage.send(request, response,
						"/login", "info", "login.signedOut")))
			.securityContext((context) -> context.securityContextRepository(contextRepository))
			.csrf((csrf) -> csrf.csrfTokenRepository(csrfTokenRepository))
			.sessionManagement((sessions) -> sessions.sessionFixation((fixation) -> fixation.changeSessionId()))
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
			.addFilterAfter(new SessionValidityFilter(accounts, signIn, clock, properties.absoluteTimeout()),
					AnonymousAuthenticationFilter.class)
			.addFilterAfter(new PartialAuthenticationFilter(signIn, clock, properties.pendingTimeout()),
					SessionValidityFilter.class);
		return http.build();
	}

	/**
	 * Argon2id (OWASP parameters or stronger) for new hashes, bcrypt hashes from elsewhere still verify; never more
	 * hashes at once than the machine has cores (see {@link BoundedPasswordEncoder}).
	 */
	@Bean
	PasswordEncoder passwordEncoder(AuthenticationProperties properties) {
		AuthenticationProperties.Argon2 argon2 = properties.argon2();
		PasswordEncoder argon2Encoder = new Argon2PasswordEncoder(16, 32, argon2.parallelism(), argon2.memoryKib(),
				argon2.iterations());
		PasswordEncoder delegating = new DelegatingPasswordEncoder(ARGON2,
				Map.of(ARGON2, argon2Encoder, "bcrypt", new BCryptPasswordEncoder()));
		AuthenticationProperties.Hashing hashing = properties.hashing();
		return new BoundedPasswordEncoder(delegating, hashing.effectiveMaxConcurrent(), hashing.maxQueued(),
				hashing.maxWait());
	}

	/** The password step: Spring's provider, with the lockout checked before each password. */
	@Bean
	DaoAuthenticationProvider passwordAuthenticationProvider(AccountUserDetailsService users,
			PasswordEncoder passwordEncoder, PasswordAttempts attempts) {
		DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
		provider.setPasswordEncoder(passwordEncoder);
		provider.setUserDetailsPasswordService(users);
		provider.setPreAuthenticationChecks(attempts::beforePasswordCheck);
		// A refused (locked) attempt still costs one hash: no timing difference to tell locked accounts apart.
		provider.setAlwaysPerformAdditionalChecksOnUser(true);
		return provider;
	}

	@Bean
	SecurityContextRepository securityContextRepository() {
		return new DelegatingSecurityContextRepository(new RequestAttributeSecurityContextRepository(),
				new HttpSessionSecurityContextRepository());
	}

	@Bean
	CsrfTokenRepository csrfTokenRepository() {
		return new HttpSessionCsrfTokenRepository();
	}

	/** What {@link SignIn} does at each step, as the form login does at the password step: new session id, new CSRF token. */
	@Bean
	SessionAuthenticationStrategy sessionAuthenticationStrategy(CsrfTokenRepository csrfTokenRepository) {
		return new CompositeSessionAuthenticationStrategy(List.of(new ChangeSessionIdAuthenticationStrategy(),
				new CsrfAuthenticationStrategy(csrfTokenRepository)));
	}

	/** The username typed into a failed login goes back into the form: bounded, without control characters. */
	private static String echoableUsername(String username) {
		return (username != null && username.length() <= 64) ? username.replaceAll("\\p{Cntrl}", "") : "";
	}

}
