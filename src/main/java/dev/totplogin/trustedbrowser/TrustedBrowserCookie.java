package dev.totplogin.trustedbrowser;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * The {@code TRUSTED_BROWSER} cookie itself ({@code __Host-TRUSTED_BROWSER} over HTTPS):
 * {@code <id>.<secret>}, HttpOnly, SameSite=Lax, the whole site, for the trust's
 * lifetime. Read, written and deleted here only; what it is worth is
 * {@link TrustedBrowsers}' to decide.
 */
@Component
class TrustedBrowserCookie {

	static final String NAME = "TRUSTED_BROWSER";

	/**
	 * The name over HTTPS ({@code prod}): a {@code __Host-} cookie is Secure, for this
	 * host alone and its whole path, so no sibling subdomain can plant one.
	 */
	static final String SECURE_NAME = "__Host-" + NAME;

	private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");

	private final TrustedBrowserProperties properties;

	TrustedBrowserCookie(TrustedBrowserProperties properties) {
		this.properties = properties;
	}

	/** The browser's cookie, if it has one of our form. */
	Optional<Value> read(HttpServletRequest request) {
		return raw(request).map(FORMAT::matcher)
			.filter(Matcher::matches)
			.map((matcher) -> new Value(matcher.group(1), matcher.group(2)));
	}

	/** Whether the browser sent the cookie at all, well formed or not. */
	boolean present(HttpServletRequest request) {
		return raw(request).isPresent();
	}

	void write(HttpServletResponse response, String id, String secret) {
		response.addHeader(HttpHeaders.SET_COOKIE, header(id + "." + secret, this.properties.lifetime()));
	}

	void delete(HttpServletResponse response) {
		response.addHeader(HttpHeaders.SET_COOKIE, header("", Duration.ZERO));
	}

	private String header(String value, Duration maxAge) {
		return ResponseCookie.from(name(), value)
			.httpOnly(true)
			.secure(this.properties.secureCookie())
			.sameSite("Lax")
			.path("/")
			.maxAge(maxAge)
			.build()
			.toString();
	}

	private String name() {
		return this.properties.secureCookie() ? SECURE_NAME : NAME;
	}

	private Optional<String> raw(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return Optional.empty();
		}
		for (Cookie cookie : cookies) {
			if (name().equals(cookie.getName())) {
				return Optional.of(cookie.getValue());
			}
		}
		return Optional.empty();
	}

	/** The trust's public id, and its secret. */
	record Value(String id, String secret) {
	}

}
