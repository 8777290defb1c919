package dev.totplogin.audit;

/**
 * A short "Chrome on Linux" reading of a User-Agent header, for the person asking "was
 * that me?". The full header is kept in the event and shown on hover. In English, as it
 * is stored and logged; {@link BrowserLabels} shows it in the page's language.
 */
final class BrowserLabel {

	static final String ON = " on ";

	static final String UNKNOWN = "Unknown";

	static final String ANOTHER_BROWSER = "Another browser";

	static final String ANOTHER_SYSTEM = "another system";

	private BrowserLabel() {
	}

	static String of(String userAgent) {
		if (userAgent == null || userAgent.isBlank()) {
			return UNKNOWN;
		}
		return browser(userAgent) + ON + system(userAgent);
	}

	private static String browser(String ua) {
		if (ua.contains("Edg/")) {
			return "Edge";
		}
		if (ua.contains("OPR/")) {
			return "Opera";
		}
		if (ua.contains("Firefox/")) {
			return "Firefox";
		}
		if (ua.contains("HeadlessChrome/")) {
			return "Headless Chrome";
		}
		if (ua.contains("Chrome/") || ua.contains("CriOS/")) {
			return "Chrome";
		}
		if (ua.contains("Safari/")) {
			return "Safari";
		}
		return ANOTHER_BROWSER;
	}

	private static String system(String ua) {
		if (ua.contains("Android")) {
			return "Android";
		}
		if (ua.contains("iPhone") || ua.contains("iPad")) {
			return "iOS";
		}
		if (ua.contains("Windows")) {
			return "Windows";
		}
		if (ua.contains("Mac OS X") || ua.contains("Macintosh")) {
			return "macOS";
		}
		if (ua.contains("Linux")) {
			return "Linux";
		}
		return ANOTHER_SYSTEM;
	}

}
