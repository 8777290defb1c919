package dev.totplogin.forwardauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Whether a URL belongs to an application behind the proxy: its scheme, host and port are
 * those of one of {@code app.forward-auth.domains}. The return URL of a sign-in passes
 * through here twice (when the proxy asks, and when the sign-in is over), so that the
 * sign-in can never send anyone to another site (the classic open redirect of forward
 * auth).
 */
@Component
class ProtectedDomains {

	private final List<URI> domains;

	ProtectedDomains(ForwardAuthProperties properties) {
		this.domains = properties.domains().stream().map(ProtectedDomains::origin).toList();
	}

	/** The URL, if it is an absolute http(s) URL of a protected domain. */
	Optional<URI> check(String url) {
		if (url == null || url.length() > 4096) {
			return Optional.empty();
		}
		try {
			URI uri = new URI(url);
			if (!uri.isAbsolute() || uri.isOpaque() || uri.getRawUserInfo() != null || uri.getHost() == null) {
				return Optional.empty();
			}
			return this.domains.contains(origin(uri)) ? Optional.of(uri) : Optional.empty();
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/** Scheme, host and port alone, lower case, the default port written out. */
	private static URI origin(URI uri) {
		String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
		int port = uri.getPort();
		if (port == -1) {
			port = "https".equals(scheme) ? 443 : 80;
		}
		return URI.create(scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port);
	}

}
