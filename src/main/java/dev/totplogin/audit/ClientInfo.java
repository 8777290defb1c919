package dev.totplogin.audit;

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
		return new ClientInfo(clean(request.getRemoteAddr(), 64), clean(request.getHeader("User-Agent"), MAX_TEXT));
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
