package dev.totplogin.security;

import java.util.Collection;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.stereotype.Component;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
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
@Component
public final class SecurityHeaders {

	/**
	 * No inline script or style, no plugins, no framing, forms post only to us (OWASP
	 * ASVS 5.0, 3.4), and what a form's answer redirects to only here or to an
	 * application that signs in through us ({@link FormTargets}: Chromium applies
	 * {@code form-action} to every redirect after a form is posted, so the code step's
	 * answer could not reach an OpenID Connect client otherwise).
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

	/**
	 * The admin console's own, stricter policy: nothing allowed unless named (no
	 * {@code data:} images, no fonts, no other origin a form's answer may go to).
	 */
	static final String ADMIN_CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
			+ "form-action 'self'";

	/** The admin console's pages ({@code admin}), under their own policy. */
	public static final String ADMIN_PATHS = "/admin/**";

	private static final RequestMatcher adminPages = PathPatternRequestMatcher.withDefaults().matcher(ADMIN_PATHS);

	private final List<HeaderWriter> writers;

	private final String contentSecurityPolicy;

	SecurityHeaders(List<FormTargets> formTargets) {
		StringBuilder policy = new StringBuilder(CONTENT_SECURITY_POLICY);
		formTargets.stream()
			.flatMap((targets) -> targets.origins().stream())
			.distinct()
			.sorted()
			.forEach((origin) -> policy.append(' ').append(origin));
		this.contentSecurityPolicy = policy.toString();
		this.writers = List.of(new XContentTypeOptionsHeaderWriter(), new XXssProtectionHeaderWriter(),
				new CacheControlHeadersWriter(), new HstsHeaderWriter(),
				new XFrameOptionsHeaderWriter(XFrameOptionsMode.DENY),
				new DelegatingRequestMatcherHeaderWriter(adminPages,
						new ContentSecurityPolicyHeaderWriter(ADMIN_CONTENT_SECURITY_POLICY)),
				new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(adminPages),
						new ContentSecurityPolicyHeaderWriter(this.contentSecurityPolicy)),
				new ReferrerPolicyHeaderWriter(ReferrerPolicy.NO_REFERRER));
	}

	/**
	 * Origins outside this site that a form's answer may redirect to: the redirect URIs
	 * of the OpenID Connect clients. A bean of the package that knows them.
	 */
	@FunctionalInterface
	public interface FormTargets {

		/** Each as {@code scheme://host[:port]}. */
		Collection<String> origins();

	}

	/** The headers, for a filter chain's {@code headers()}. */
	public List<HeaderWriter> writers() {
		return this.writers;
	}

	public String contentSecurityPolicy() {
		return this.contentSecurityPolicy;
	}

	/** Every header, on a response written outside the filter chain. */
	public void writeTo(HttpServletRequest request, HttpServletResponse response) {
		this.writers.forEach((writer) -> writer.writeHeaders(request, response));
	}

	/**
	 * A refused URL ({@code /account;}, {@code //account}, an encoded slash): 400, the
	 * error page, every header.
	 */
	RequestRejectedHandler onRejectedRequest() {
		return (HttpServletRequest request, HttpServletResponse response, RequestRejectedException ex) -> {
			writeTo(request, response);
			response.sendError(HttpServletResponse.SC_BAD_REQUEST);
		};
	}

}
