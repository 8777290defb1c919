package dev.totplogin.audit;

import java.util.Arrays;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Where the current request comes from, bounded and printable (a header is the client's
 * to choose): what the audit log and the security notifications say of "from where".
 *
 * @param ipAddress the client's IP address, or null outside a request
 * @param userAgent its User-Agent header, or null
 */
public record ClientInfo(String ipAddress, String userAgent) {

	static final int MAX_TEXT = 255;

	/**
	 * The current request's client; both null outside a request (the operator command, a
	 * background task).
	 */
	public static ClientInfo current() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (!(attributes instanceof ServletRequestAttributes servlet)) {
			return new ClientInfo(null, null);
		}
		HttpServletRequest request = servlet.getRequest();
		return new ClientInfo(clean(compact(request.getRemoteAddr()), 64),
				clean(request.getHeader("User-Agent"), MAX_TEXT));
	}

	/**
	 * An IPv6 address in its short form (RFC 5952: {@code ::1}, not
	 * {@code 0:0:0:0:0:0:0:1}); anything else as it is.
	 */
	static String compact(String address) {
		if (address == null || !address.matches("[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){7}")) {
			return address;
		}
		String[] groups = address.toLowerCase(Locale.ROOT).split(":");
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < groups.length; i++) {
			groups[i] = Integer.toHexString(Integer.parseInt(groups[i], 16));
		}
		for (int i = 0; i < groups.length;) {
			int j = i;
			while (j < groups.length && groups[j].equals("0")) {
				j++;
			}
			if (j - i > bestLength) {
				bestStart = i;
				bestLength = j - i;
			}
			i = Math.max(j, i + 1);
		}
		if (bestStart < 0) {
			return String.join(":", groups);
		}
		return String.join(":", Arrays.copyOfRange(groups, 0, bestStart)) + "::"
				+ String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
	}

	/** "Chrome on Linux". */
	public String browser() {
		return BrowserLabel.of(this.userAgent);
	}

	static String clean(String value, int max) {
		if (value == null) {
			return null;
		}
		String printable = value.replaceAll("\\p{Cntrl}", "?");
		return (printable.length() > max) ? printable.substring(0, max) : printable;
	}

}
