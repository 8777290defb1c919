package dev.totplogin.forwardauth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import dev.totplogin.mail.SiteProperties;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.Assurance;
import dev.totplogin.security.Factors;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.PathContainer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * {@code GET /auth/verify}, asked by the reverse proxy before each request of a protected
 * application: 200 with the identity headers for a complete sign-in that still holds and
 * meets the route's rule; otherwise to the sign-in (or the step-up) and back. nginx
 * ({@code X-Original-URL}) gets a 401 with the way in {@code Location} (its
 * {@code auth_request} allows no redirect), Caddy and Traefik a 302. Only the session
 * counts: identity headers the client sent are never read. No password is hashed here.
 */
@RestController
class VerifyController {

	static final String PATH = "/auth/verify";

	/** Always all five: Caddy 2.6 passes an absent one on as a literal placeholder. */
	static final String USER = "Remote-User";

	static final String EMAIL = "Remote-Email";

	static final String NAME = "Remote-Name";

	static final String AMR = "Remote-AMR";

	static final String ACR = "Remote-ACR";

	private final ProtectedDomains domains;

	private final SessionChecks sessions;

	private final SiteProperties site;

	private final Clock clock;

	private final List<CompiledRule> rules;

	VerifyController(ProtectedDomains domains, SessionChecks sessions, SiteProperties site, Clock clock,
			ForwardAuthProperties properties) {
		this.domains = domains;
		this.sessions = sessions;
		this.site = site;
		this.clock = clock;
		this.rules = properties.rules()
			.stream()
			.map((rule) -> new CompiledRule(caseInsensitive().parse(rule.path()), rule))
			.toList();
	}

	@GetMapping(PATH)
	ResponseEntity<Void> verify(HttpServletRequest request) {
		boolean nginx = request.getHeader("X-Original-URL") != null;
		Optional<URI> target = this.domains.check(originalUrl(request));
		if (target.isEmpty()) {
			// Not a protected application's URL: nothing to grant, nowhere to return to.
			return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
		}
		Authentication authentication = SecurityContextHolder.getContextHolderStrategy()
			.getContext()
			.getAuthentication();
		Optional<Assurance> assurance = Assurance.of(authentication);
		Optional<String> email = assurance.isPresent() ? this.sessions.stillSignedIn(authentication) : Optional.empty();
		if (assurance.isEmpty() || email.isEmpty()) {
			return elsewhere(nginx, this.site.link("/login?rd=" + encode(target.get().toString())));
		}
		Optional<String> path = normalizedPath(target.get());
		if (path.isEmpty()) {
			// A path an application may read differently from us (an encoded slash, a
			// backslash, ";"): no rule could be trusted to match it.
			return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
		}
		Optional<ForwardAuthProperties.Rule> rule = ruleFor(path.get());
		if (rule.isPresent() && rule.get().acr() != null && !assurance.get().meets(rule.get().acr())) {
			// A level this sign-in did not prove (a trusted browser's aal1): only a new
			// sign-in with a code or a key proves more.
			return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
		}
		if (rule.isPresent() && rule.get().maxAge() != null && !recentEnough(authentication, rule.get().maxAge())) {
			return elsewhere(nginx, this.site.link("/account#confirm"));
		}
		String username = ((AccountPrincipal) authentication.getPrincipal()).getUsername();
		return ResponseEntity.ok()
			.header(USER, username)
			.header(EMAIL, email.get())
			.header(NAME, username)
			.header(AMR, assurance.get().amrText())
			.header(ACR, assurance.get().acr())
			.build();
	}

	/**
	 * nginx: {@code X-Original-URL}. Caddy, Traefik: {@code X-Forwarded-Proto},
	 * {@code -Host} and {@code -Uri} (the scheme and host as the request has them when
	 * the container already took them from these headers).
	 */
	private static String originalUrl(HttpServletRequest request) {
		String original = request.getHeader("X-Original-URL");
		if (original != null) {
			return original;
		}
		String uri = request.getHeader("X-Forwarded-Uri");
		if (uri == null || !uri.startsWith("/")) {
			return null;
		}
		String proto = request.getHeader("X-Forwarded-Proto");
		String host = request.getHeader("X-Forwarded-Host");
		return ((proto != null) ? proto : request.getScheme()) + "://"
				+ ((host != null) ? host : request.getHeader(HttpHeaders.HOST)) + uri;
	}

	/**
	 * The path as the application behind will read it: percent-decoded, {@code .} and
	 * {@code ..} resolved, repeated slashes collapsed, so that {@code //admin},
	 * {@code /x/../admin} or {@code /%61dmin} meet the rule of {@code /admin/**}. Empty
	 * for a path that servers read in different ways (an encoded slash or backslash, a
	 * backslash, a {@code ;} parameter, a NUL).
	 */
	static Optional<String> normalizedPath(URI target) {
		String raw = (target.getRawPath() == null || target.getRawPath().isEmpty()) ? "/" : target.getRawPath();
		String lower = raw.toLowerCase(java.util.Locale.ROOT);
		if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || raw.contains(";")
				|| raw.contains("\\")) {
			return Optional.empty();
		}
		String decoded;
		try {
			decoded = org.springframework.web.util.UriUtils.decode(raw, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException malformed) {
			return Optional.empty();
		}
		java.util.Deque<String> segments = new java.util.ArrayDeque<>();
		for (String segment : decoded.split("/")) {
			if (segment.equals("..")) {
				segments.pollLast();
			}
			else if (!segment.isEmpty() && !segment.equals(".")) {
				segments.addLast(segment);
			}
		}
		String path = "/" + String.join("/", segments);
		return Optional.of((decoded.endsWith("/") && !segments.isEmpty()) ? path + "/" : path);
	}

	private Optional<ForwardAuthProperties.Rule> ruleFor(String path) {
		PathContainer container = PathContainer.parsePath(path);
		return this.rules.stream()
			.filter((rule) -> rule.pattern().matches(container))
			.map(CompiledRule::rule)
			.findFirst();
	}

	/**
	 * The last code or key of this session, at sign-in or in "confirm it's you", within
	 * the rule's age.
	 */
	private boolean recentEnough(Authentication authentication, Duration maxAge) {
		// A trusted browser proves no code: only these count.
		Instant latest = java.util.stream.Stream
			.concat(Assurance.AAL2_FACTORS.stream(), java.util.stream.Stream.of(Factors.CONFIRMED))
			.map((factor) -> Factors.issuedAt(authentication, factor))
			.flatMap(Optional::stream)
			.max(Instant::compareTo)
			.orElse(Instant.MIN);
		return latest != Instant.MIN && !latest.plus(maxAge).isBefore(this.clock.instant());
	}

	/**
	 * Rules match without regard to case: an application on a case-insensitive file
	 * system or router serves {@code /ADMIN} as {@code /admin}.
	 */
	private static PathPatternParser caseInsensitive() {
		PathPatternParser parser = new PathPatternParser();
		parser.setCaseSensitive(false);
		return parser;
	}

	private static ResponseEntity<Void> elsewhere(boolean nginx, String location) {
		return ResponseEntity.status(nginx ? HttpStatus.UNAUTHORIZED : HttpStatus.FOUND)
			.header(HttpHeaders.LOCATION, location)
			.build();
	}

	private static String encode(String url) {
		return URLEncoder.encode(url, StandardCharsets.UTF_8);
	}

	private record CompiledRule(PathPattern pattern, ForwardAuthProperties.Rule rule) {
	}

}
