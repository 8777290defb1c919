package dev.totplogin.security;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.HstsHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.XContentTypeOptionsHeaderWriter;
import org.springframework.security.web.header.writers.XXssProtectionHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter.XFrameOptionsMode;

/**
 * Every response's security headers, written once here: the filter chain writes them
 * (Spring Security's defaults plus our CSP and referrer policy), and so does the answer
 * to a request the firewall refuses before any filter runs, so that its error page
 * carries them too, and the "temporarily unavailable" page that is written outside the
 * chain.
 */
public final class SecurityHeaders {

	/**
	 * No inline script or style, no plugins, no framing, forms post only to us (OWASP
	 * ASVS 5.0, 3.4).
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

	public static final List<HeaderWriter> WRITERS = List.of(new XContentTypeOptionsHeaderWriter(),
			new XXssProtectionHeaderWriter(), new CacheControlHeadersWriter(), new HstsHeaderWriter(),
			new XFrameOptionsHeaderWriter(XFrameOptionsMode.DENY),
			new ContentSecurityPolicyHeaderWriter(CONTENT_SECURITY_POLICY),
			new ReferrerPolicyHeaderWriter(ReferrerPolicy.NO_REFERRER));

	private SecurityHeaders() {
	}

	/** Every header, on a response written outside the filter chain. */
	public static void writeTo(HttpServletRequest request, HttpServletResponse response) {
		WRITERS.forEach((writer) -> writer.writeHeaders(request, response));
	}

	/**
	 * A refused URL ({@code /account;}, {@code //account}, an encoded slash): 400, the
	 * error page, every header.
	 */
	static RequestRejectedHandler onRejectedRequest() {
		return (HttpServletRequest request, HttpServletResponse response, RequestRejectedException ex) -> {
			writeTo(request, response);
			response.sendError(HttpServletResponse.SC_BAD_REQUEST);
		};
	}

}
