package dev.totplogin.audit;

/**
 * A short "Chrome on Linux" reading of a User-Agent header, for the person asking "was
 * that me?". The full header is kept in the event and shown on hover.
 */
final class BrowserLabel {

	private BrowserLabel() {
	}

	static String of(String userAgent) {
		if (userAgent == null || userAgent.isBlank()) {
			return "Unknown";
		}
		return browser(userAgent) + " on " + system(userAgent);
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
		return "Another browser";
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
		return "another system";
	}

}
