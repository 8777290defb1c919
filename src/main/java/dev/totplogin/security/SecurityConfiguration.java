package dev.totplogin.security;

import java.util.List;
import java.util.stream.Stream;

import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.hashing.Busy;
import dev.totplogin.hashing.PasswordHashingBusyException;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.ClientPasswordLimit;
import dev.totplogin.lockout.RateLimits;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.SecurityConfigurerAdapter;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.savedrequest.CookieRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationFilter;
import org.springframework.util.StringUtils;

/**
 * The one filter chain, in Spring Security 7's multi-factor model. Each factor is an
 * authentication mechanism that adds a {@code FactorGrantedAuthority} with the time it
 * was proven: form login the password; the code and the recovery code their own filters
 * and providers ({@code signin.PartialAuthenticationFilter}, applied here as a
 * configurer); a security key Spring Security's WebAuthn filter; a trusted browser its
 * page. The rules are declared: every page needs the password and any one second factor
 * ({@link Factors#signedIn()}); the second step's pages need the password factor within
 * {@code app.security.pending-timeout} (its valid duration); a missing factor sends the
 * session to its entry point: the second step's page for a missing second factor, and for
 * a password factor past its time the end of the pending sign-in, with its message.
 * <p>
 * Security keys: Spring Security's {@code http.webAuthn()} with its own endpoints, its
 * relying party and JDBC repositories as beans ({@code securitykey}), without its default
 * pages. Its {@code /login/webauthn} filter would sign anyone in with any key alone; the
 * bean post-processing it ({@code signin.SecurityKeyStep}) accepts a key as the second
 * step of the pending account, as fresh proof in a signed-in session, and on its own only
 * as a passkey that verified its user ({@link Factors#USER_VERIFIED}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/**
	 * Our own static files (spring.web.resources.static-path-pattern). Not "/**": every
	 * URL no controller answers would then be looked up as a classpath resource first.
	 */
	static final String ASSETS = "/assets/**";

	static final String WEBJARS = "/webjars/**";

	/**
	 * Asked by a reverse proxy on every request of the applications behind it; it checks
	 * the session's validity itself, reused for a few seconds
	 * (forwardauth.SessionChecks).
	 */
	static final String FORWARD_AUTH_VERIFY = "/auth/verify";

	/**
	 * The account actions that need fresh proof ({@link StepUp}): what changes a
	 * credential, where mail goes, or who is signed in; also adding a security key.
	 */
	private static final String[] STEP_UP_ACTIONS = { "/account/password", "/account/recovery-codes",
			"/account/authenticator", "/account/sessions", "/account/sessions/*/end", "/account/trusted-browsers/**",
			"/account/email", "/account/security-keys/*/remove", "/account/delete", "/webauthn/register" };

	@Bean
	@ConditionalOnWebApplication
	SecurityFilterChain securityFilterChain(HttpSecurity http, SignInState signInState, SessionValidity validity,
			CsrfTokenRepository csrfTokenRepository, RequestCache requestCache, AccountRepository accounts,
			AuditLog audit, AccountSessions sessions, StepUp stepUp,
			ObjectPostProcessor<WebAuthnAuthenticationFilter> securityKeyStep,
			List<SecurityConfigurerAdapter<DefaultSecurityFilterChain, HttpSecurity>> mechanisms,
			SecurityHeaders securityHeaders, RateLimits rateLimits, PasskeyOptionsLimitProperties passkeyOptionsLimit,
			ManagementPort managementPort) {
		// The WebAuthn configurer builds its own provider from one (the provider that
		// securityKeyStep replaces); not a bean, so nothing else picks it up.
		http.setSharedObject(UserDetailsService.class, new AccountUserDetailsService(accounts));
		AuthorizationManager<RequestAuthorizationContext> secondStep = SecondStep.rule(validity);
		// @formatter:off
		http.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/error", "/email/verify", "/language", ASSETS, WEBJARS, "/actuator/health",
						"/actuator/health/**", "/actuator/info").permitAll()
				// The metrics: only on the management port, never public (docs/metrics.md).
				.requestMatchers(managementPort.matcher("/actuator/prometheus")).permitAll()
				.requestMatchers("/actuator/prometheus").denyAll()
				// Forward auth answers 401/302 itself (forwardauth.VerifyController).
				.requestMatchers(HttpMethod.GET, FORWARD_AUTH_VERIFY).permitAll()
				// A pending sign-in stays on its second step until it completes or ends.
				.requestMatchers("/login", "/register", "/password/forgot", "/password/reset", "/password/strength")
					.access(SecondStep.notPending())
				.requestMatchers(SecondStep.PAGES).access(secondStep)
				// Keys are removed on the account page, with fresh proof and an audit event.
				.requestMatchers(HttpMethod.DELETE, "/webauthn/register/**").denyAll()
				// Step-up, declared once.
				.requestMatchers(HttpMethod.POST, STEP_UP_ACTIONS).access(stepUp.<RequestAuthorizationContext>rule())
				// The whole record in one file: fresh proof too (docs/security-model.md).
				.requestMatchers(HttpMethod.GET, "/account/data").access(stepUp.<RequestAuthorizationContext>rule())
				.anyRequest().access(Factors.signedIn()))
			.exceptionHandling((exceptions) -> {
				exceptions.defaultDeniedHandlerForMissingAuthority((request, response, denied) -> signInState
						.endWithMessage(request, response, "login.pendingExpired"), Factors.PASSWORD);
				// A pending session missing its second factor: its second step. A signed-in
				// one without fresh proof: the account page's (settings.StepUpConfigurer).
				RequestMatcher pending = (request) -> Factors.isPending(SecurityContextHolder
						.getContextHolderStrategy().getContext().getAuthentication());
				Stream.concat(Factors.SECOND_FACTORS.stream(), Stream.of(Factors.CONFIRMED))
					.forEach((factor) -> exceptions.defaultDeniedHandlerForMissingAuthority(
						(entryPoints) -> entryPoints.addEntryPointFor(SecondStep::enter, pending),
						factor));
			});
		// @formatter:on
		http.formLogin((form) -> form.loginPage("/login").successHandler((request, response, authentication) -> {
			signInState.pendingAfterFormLogin(authentication, request, response);
			boolean enrolled = ((AccountPrincipal) authentication.getPrincipal()).totpEnabled();
			response.sendRedirect(request.getContextPath() + SecondStep.pageOf(enrolled));
		}).failureHandler((request, response, exception) -> {
			if (exception instanceof PasswordHashingBusyException) {
				Busy.respond(response);
				return;
			}
			// An empty field is a form not filled in, not a wrong password.
			boolean empty = !StringUtils.hasText(request.getParameter("username"))
					|| !StringUtils.hasLength(request.getParameter("password"));
			RedirectWithMessage.send(request, response, "/login", "alert", empty ? "login.empty" : "login.failed",
					"username", echoableUsername(request.getParameter("username")));
		})).logout((logout) -> logout.addLogoutHandler((request, response, authentication) -> {
			if (authentication != null && authentication.getPrincipal() instanceof AccountPrincipal principal) {
				if (principal.signedInSession() != null) {
					sessions.ended(principal.signedInSession());
				}
				if (request.getSession(false) != null) {
					sessions.endKept(request.getSession(false));
				}
				audit.record(principal.accountId(), SecurityEventType.SIGNED_OUT);
			}
		})
			.logoutSuccessHandler((request, response, authentication) -> RedirectWithMessage.send(request, response,
					"/login", "info", "login.signedOut")))
			// The strength hint changes nothing and must not touch the CSRF token: a hint
			// in flight as its form is submitted would come back with a new token (the
			// sign-in step rotates it) and break the next form.
			.csrf((csrf) -> csrf.csrfTokenRepository(csrfTokenRepository).ignoringRequestMatchers("/password/strength"))
			.requestCache((cache) -> cache.requestCache(requestCache))
			.webAuthn((webAuthn) -> webAuthn.disableDefaultRegistrationPage(true)
				.withObjectPostProcessor(securityKeyStep))
			.headers((headers) -> {
				headers.defaultsDisabled();
				securityHeaders.writers().forEach(headers::addHeaderWriter);
			})
			.addFilterAfter(
					new SessionValidityFilter(signInState, validity,
							PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, FORWARD_AUTH_VERIFY)),
					AnonymousAuthenticationFilter.class)
			.addFilterAfter(new SecurityKeyOptionsFilter(secondStep, rateLimits, passkeyOptionsLimit),
					ExceptionTranslationFilter.class);
		// The other packages' mechanisms (signin's second factors, settings'
		// step-up), added as Spring Security's own are: a configurer each. Each
		// adds filters for requests of its own, so their order does not matter.
		mechanisms.forEach((mechanism) -> http.with(mechanism, Customizer.withDefaults()));
		return http.build();
	}

	/**
	 * The password step, inside the account's password attempt budget and the client's.
	 */
	@Bean
	AuthenticationProvider passwordAuthenticationProvider(AccountRepository accounts, PasswordEncoder passwordEncoder,
			Attempts attempts, AuditLog audit, ClientPasswordLimit clients) {
		return new PasswordAuthenticationProvider(new AccountUserDetailsService(accounts), passwordEncoder, accounts,
				attempts, audit, clients);
	}

	/**
	 * CSRF tokens in a cookie (HttpOnly, SameSite=Lax, Secure over HTTPS), not in the
	 * session: an anonymous page view stores nothing on the server, so a flood of
	 * {@code GET /login} is no flood of session rows. The form carries the masked token,
	 * as with the session store. A bean, so that the second step ({@link SignInState})
	 * rotates the token in the same store as the form login does.
	 */
	@Bean
	CsrfTokenRepository csrfTokenRepository(Environment environment) {
		CookieCsrfTokenRepository repository = new CookieCsrfTokenRepository();
		if (environment.acceptsProfiles(Profiles.of("prod"))) {
			// A __Host- cookie is always Secure, for this host alone and its whole path:
			// no sibling subdomain or man-in-the-middle on plain HTTP can plant one that
			// this application would take for its own.
			repository.setCookieName("__Host-XSRF-TOKEN");
			repository.setCookieCustomizer((cookie) -> cookie.sameSite("Lax").secure(true).path("/"));
		}
		else {
			repository.setCookieCustomizer((cookie) -> cookie.sameSite("Lax"));
		}
		return repository;
	}

	/**
	 * The page asked for before sign-in, kept in a cookie for the same reason; the code
	 * step follows only its path ({@code signin.SavedPath}), so neither a forged cookie
	 * nor a planted Host header can send anyone elsewhere.
	 */
	@Bean
	RequestCache requestCache() {
		CookieRequestCache cache = new CookieRequestCache();
		// Never the second step's own pages: after the code, the person goes where they
		// were going.
		cache.setRequestMatcher(
				new AndRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/**"),
						new NegatedRequestMatcher(SecondStep.PAGES)));
		return cache;
	}

	/**
	 * A URL the firewall refuses ({@code /account;}, {@code //account}) is a 400 rendered
	 * by the error page, through this filter chain and so with every security header,
	 * instead of an exception no filter ever saw.
	 */
	@Bean
	WebSecurityCustomizer rejectedRequestsAsBadRequest(SecurityHeaders securityHeaders) {
		return (web) -> web.requestRejectedHandler(securityHeaders.onRejectedRequest());
	}

	/**
	 * The username typed into a failed login goes back into the form: bounded, without
	 * control characters.
	 */
	private static String echoableUsername(String username) {
		return (username != null && username.length() <= PasswordAuthenticationProvider.MAX_USERNAME_LENGTH)
				? username.replaceAll("\\p{Cntrl}", "") : "";
	}

}
