package dev.totplogin.security;

import java.util.List;

import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.hashing.Busy;
import dev.totplogin.hashing.PasswordHashingBusyException;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.ClientPasswordLimit;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.savedrequest.CookieRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationFilter;
import org.springframework.util.StringUtils;

/**
 * The one filter chain. What Spring Security 7 provides is used as it is: form login for
 * the password step, {@code FactorGrantedAuthority} for each proven factor (with the time
 * it was proven), its authorization managers for the second-factor rule, its default
 * session-fixation protection (new session id) and CSRF token rotation at the password
 * step, and the same Spring strategies for the code step ({@link SignInState}).
 * <p>
 * Deliberately not used: a factor's valid duration for the pending timeout, and an entry
 * point per missing factor. Both turn a pending session into an authorization failure,
 * which can only deny; the pending state needs one place that also ends an expired
 * session with a message and sends a person to the 2FA page their account needs (setup or
 * code). That place is {@link PartialAuthenticationFilter}, which runs before
 * authorization, so no authorization rule ever sees a pending session outside its own
 * pages.
 * <p>
 * Security keys: Spring Security's {@code http.webAuthn()} with its own endpoints, its
 * relying party and JDBC repositories as beans ({@code securitykey}), without its default
 * pages. Its {@code /login/webauthn} filter runs before ours and would sign anyone in
 * with a key alone; the bean post-processing it ({@code signin.SecurityKeyStep}) accepts
 * a key only as the second step of the pending account, and completes the sign-in through
 * {@link SignInState} (new session id and CSRF token, which that filter's default session
 * strategy does not change).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/**
	 * Our own static files (spring.web.resources.static-path-pattern). Not "/**": every
	 * URL no controller answers would then be looked up as a classpath resource first.
	 */
	static final String ASSETS = "/assets/**";

	static final String WEBJARS = "/webjars/**";

	@Bean
	@ConditionalOnWebApplication
	SecurityFilterChain securityFilterChain(HttpSecurity http, SignInState signInState, SignInValidity validity,
			CsrfTokenRepository csrfTokenRepository, RequestCache requestCache, AccountRepository accounts,
			AuditLog audit, SignedInSessions sessions,
			ObjectPostProcessor<WebAuthnAuthenticationFilter> securityKeyStep) {
		// The WebAuthn configurer builds its own provider from one (the provider that
		// securityKeyStep replaces); not a bean, so nothing else picks it up.
		http.setSharedObject(UserDetailsService.class, new AccountUserDetailsService(accounts));
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers("/login", "/register", "/error", "/password/forgot", "/password/reset",
					"/password/strength", "/email/verify", "/language", ASSETS, WEBJARS, "/actuator/health",
					"/actuator/health/**", "/actuator/info")
			.permitAll()
			.requestMatchers(SignInPages.SETUP, SignInPages.SETUP + "/**", SignInPages.VERIFY,
					SignInPages.VERIFY + "/**")
			.hasAuthority(Factors.PASSWORD)
			// Keys are removed on the account page, with fresh proof and an audit event.
			.requestMatchers(HttpMethod.DELETE, "/webauthn/register/**")
			.denyAll()
			.anyRequest()
			.access(signedIn()))
			.formLogin((form) -> form.loginPage("/login").successHandler((request, response, authentication) -> {
				signInState.pendingAfterFormLogin(authentication, request, response);
				boolean enrolled = ((AccountPrincipal) authentication.getPrincipal()).totpEnabled();
				response.sendRedirect(request.getContextPath() + SignInPages.secondStepOf(enrolled));
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
			}))
			.logout((logout) -> logout.addLogoutHandler((request, response, authentication) -> {
				if (authentication != null && authentication.getPrincipal() instanceof AccountPrincipal principal) {
					if (principal.signedInSession() != null) {
						sessions.ended(principal.signedInSession());
					}
					audit.record(principal.accountId(), SecurityEventType.SIGNED_OUT);
				}
			})
				.logoutSuccessHandler((request, response, authentication) -> RedirectWithMessage.send(request, response,
						"/login", "info", "login.signedOut")))
			// The strength hint changes nothing, and must not touch the CSRF token: a
			// hint
			// still in flight as its form is submitted would otherwise come back with a
			// new
			// token (the sign-in step rotates it) and break the next form.
			.csrf((csrf) -> csrf.csrfTokenRepository(csrfTokenRepository).ignoringRequestMatchers("/password/strength"))
			.requestCache((cache) -> cache.requestCache(requestCache))
			.webAuthn((webAuthn) -> webAuthn.disableDefaultRegistrationPage(true)
				.withObjectPostProcessor(securityKeyStep))
			.headers((headers) -> {
				headers.defaultsDisabled();
				SecurityHeaders.WRITERS.forEach(headers::addHeaderWriter);
			})
			.addFilterAfter(new SessionValidityFilter(signInState, validity), AnonymousAuthenticationFilter.class)
			.addFilterAfter(new PartialAuthenticationFilter(signInState, validity), SessionValidityFilter.class);
		return http.build();
	}

	/**
	 * What every ordinary page requires: the password and a second factor (a code, or a
	 * browser the account trusts). Spring Security has no "any of these factors" rule yet
	 * (its issue #18918), so the rule is composed here from its authorization managers.
	 */
	private static AuthorizationManager<RequestAuthorizationContext> signedIn() {
		List<AuthorizationManager<RequestAuthorizationContext>> secondFactors = Factors.SECOND_FACTORS.stream()
			.<AuthorizationManager<RequestAuthorizationContext>>map(AuthorityAuthorizationManager::hasAuthority)
			.toList();
		return AuthorizationManagers.allOf(AuthorityAuthorizationManager.hasAuthority(Factors.PASSWORD),
				AuthorizationManagers.anyOf(secondFactors.toArray(AuthorizationManager[]::new)),
				AuthorityAuthorizationManager.hasAuthority(Factors.ROLE_USER));
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
	 * as with the session store. A bean, so that the code step ({@link SignInState})
	 * rotates the token in the same store as the form login does.
	 */
	@Bean
	CsrfTokenRepository csrfTokenRepository(Environment environment) {
		CookieCsrfTokenRepository repository = new CookieCsrfTokenRepository();
		if (environment.acceptsProfiles(Profiles.of("prod"))) {
			// A __Host- cookie is always Secure, for this host alone and its whole path:
			// no sibling subdomain or
			// man-in-the-middle on plain HTTP can plant one that this application would
			// take for its own.
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
		cache.setRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/**"));
		return cache;
	}

	/**
	 * A URL the firewall refuses ({@code /account;}, {@code //account}) is a 400 rendered
	 * by the error page, through this filter chain and so with every security header,
	 * instead of an exception no filter ever saw.
	 */
	@Bean
	WebSecurityCustomizer rejectedRequestsAsBadRequest() {
		return (web) -> web.requestRejectedHandler(SecurityHeaders.onRejectedRequest());
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
