package relyingparty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * A Spring Boot application that signs people in through TOTP Login with Spring
 * Security's {@code oauth2Login}, as a team would write it: configured by the recipe
 * {@code docs/integration/spring-client.yml}, with back-channel logout
 * ({@code oidcLogout}) and RP-initiated logout. Its home page shows the ID token's
 * claims. It lives outside {@code dev.totplogin}, so no component scan of the app finds
 * it, and imports only the auto-configuration a web client needs (no database, no mail).
 */
@SpringBootConfiguration
@EnableWebSecurity
@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
		DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
		HttpMessageConvertersAutoConfiguration.class, ErrorMvcAutoConfiguration.class, SecurityAutoConfiguration.class,
		ServletWebSecurityAutoConfiguration.class, SecurityFilterAutoConfiguration.class,
		OAuth2ClientAutoConfiguration.class })
public class RelyingPartyApplication {

	/**
	 * Starts the client on {@code port} with the recipe's properties; {@code variables}
	 * fill its placeholders (in production: environment variables).
	 */
	public static ConfigurableApplicationContext start(Path recipe, int port, Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("relying-party", Map.of("server.port", port,
					// not the provider's application.yml, which is on the same class path
					"spring.config.name", "relying-party", "spring.main.banner-mode", "off")));
		environment.getPropertySources().addLast(new MapPropertySource("variables", variables));
		try {
			for (PropertySource<?> source : new YamlPropertySourceLoader().load("recipe",
					new FileSystemResource(recipe))) {
				environment.getPropertySources().addLast(source);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		SpringApplicationBuilder builder = new SpringApplicationBuilder(RelyingPartyApplication.class)
			.web(WebApplicationType.SERVLET)
			.environment(environment)
			.registerShutdownHook(false);
		// One JVM, two applications: the provider's test context owns the logging
		// system.
		builder.application()
			.setListeners(builder.application()
				.getListeners()
				.stream()
				.filter((listener) -> !(listener instanceof LoggingApplicationListener))
				.toList());
		return builder.run();
	}

	@Bean
	SecurityFilterChain relyingPartySecurity(HttpSecurity http, ClientRegistrationRepository registrations) {
		OidcClientInitiatedLogoutSuccessHandler rpInitiated = new OidcClientInitiatedLogoutSuccessHandler(
				registrations);
		rpInitiated.setPostLogoutRedirectUri("{baseUrl}/signed-out");
		http.authorizeHttpRequests((
				requests) -> requests.requestMatchers("/signed-out", "/error").permitAll().anyRequest().authenticated())
			.oauth2Login(Customizer.withDefaults())
			.oidcLogout((logout) -> logout.backChannel(Customizer.withDefaults()))
			.logout((logout) -> logout.logoutSuccessHandler(rpInitiated));
		return http.build();
	}

	@RestController
	static class Pages {

		@GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
		String home(@AuthenticationPrincipal OidcUser user, CsrfToken csrf) {
			Object amr = user.getClaims().get("amr");
			String rows = String.join("", row("preferred_username", user.getPreferredUsername()),
					row("amr", (amr instanceof List<?> list)
							? String.join(" ", list.stream().map(String::valueOf).toList()) : String.valueOf(amr)),
					row("acr", user.getClaimAsString("acr")),
					row("auth_time", String.valueOf(user.getAuthenticatedAt().getEpochSecond())),
					row("sid", user.getClaimAsString("sid")), row("sub", user.getSubject()));
			return page("Signed in through TOTP Login",
					"<dl>" + rows + "</dl>" + "<form method=\"post\" action=\"/logout\">"
							+ "<input type=\"hidden\" name=\"" + csrf.getParameterName() + "\" value=\""
							+ csrf.getToken() + "\"><button id=\"sign-out\" type=\"submit\">Sign out</button></form>");
		}

		@GetMapping(path = "/signed-out", produces = MediaType.TEXT_HTML_VALUE)
		String signedOut() {
			return page("Signed out", "<p id=\"signed-out\">You have signed out of the Spring client.</p>");
		}

		private static String row(String claim, String value) {
			return "<dt>" + claim + "</dt><dd id=\"" + claim.replace('_', '-') + "\">"
					+ HtmlUtils.htmlEscape(String.valueOf(value)) + "</dd>";
		}

		private static String page(String title, String body) {
			return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title
					+ " · Spring client</title><style>body{font-family:sans-serif;margin:2rem}"
					+ "dt{font-weight:bold}dd{font-family:monospace;margin:0 0 .5rem 1rem}</style></head>"
					+ "<body><main><h1>" + title + "</h1>" + body + "</main></body></html>";
		}

	}

}
