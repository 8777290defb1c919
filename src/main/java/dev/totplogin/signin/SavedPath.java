package dev.totplogin.signin;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The application-relative part of a saved request's URL: its path and query, never its
 * scheme or host (which came from the request's {@code Host} header). Anything that is
 * not a plain path of this application becomes home.
 */
final class SavedPath {

	private SavedPath() {
	}

	static String of(String savedUrl, String contextPath) {
		try {
			URI uri = new URI(savedUrl);
			String path = uri.getRawPath();
			if (path == null || !path.startsWith(contextPath + "/")) {
				return "/";
			}
			String local = path.substring(contextPath.length());
			if (local.startsWith("//") || local.contains("\\")) {
				return "/";
			}
			return (uri.getRawQuery() != null) ? local + "?" + uri.getRawQuery() : local;
		}
		catch (URISyntaxException ex) {
			return "/";
		}
	}

}
