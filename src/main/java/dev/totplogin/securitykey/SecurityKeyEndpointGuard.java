package dev.totplogin.securitykey;

import java.io.IOException;

import com.webauthn4j.util.exception.WebAuthnException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In front of Spring Security's WebAuthn endpoints, which read whole JSON bodies and let
 * a ceremony the relying party refuses (a wrong challenge or origin, a credential already
 * registered, a name we refuse, two first registrations of an account at once) escape as
 * an exception: here a body over 16 KiB is a 413 before anything reads it, and a refused
 * ceremony is a 400 with a small JSON answer, not an error page. What was refused is
 * logged without the body.
 */
class SecurityKeyEndpointGuard extends OncePerRequestFilter {

	static final String[] URL_PATTERNS = { "/webauthn/*", "/login/webauthn" };

	/** A registration with attestation and transports is a few KiB. */
	static final int MAX_BODY_BYTES = 16 * 1024;

	private static final Logger log = LoggerFactory.getLogger(SecurityKeyEndpointGuard.class);

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > MAX_BODY_BYTES) {
			response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
			return;
		}
		try {
			chain.doFilter(new BoundedBody(request), response);
		}
		catch (ServletException | RuntimeException ex) {
			if (!refusedCeremony(ex) || response.isCommitted()) {
				throw ex;
			}
			log.info("security key ceremony refused at {}: {}", request.getRequestURI(),
					rootCause(ex).getClass().getSimpleName());
			response.resetBuffer();
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.getWriter().write("{\"success\":false}");
		}
	}

	private static boolean refusedCeremony(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			// IllegalArgumentException: what Spring's relying party throws for a
			// credential already registered or a malformed part.
			if (cause instanceof RefusedCeremony || cause instanceof WebAuthnException
					|| cause instanceof IllegalArgumentException || cause instanceof DuplicateKeyException) {
				return true;
			}
		}
		return false;
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/** A body sent without a length (chunked) stops being read at the same bound. */
	private static final class BoundedBody extends HttpServletRequestWrapper {

		private ServletInputStream stream;

		BoundedBody(HttpServletRequest request) {
			super(request);
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new BoundedStream(super.getInputStream());
			}
			return this.stream;
		}

	}

	private static final class BoundedStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private long read;

		BoundedStream(ServletInputStream delegate) {
			this.delegate = delegate;
		}

		@Override
		public int read() throws IOException {
			int next = this.delegate.read();
			if (next != -1) {
				count(1);
			}
			return next;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws IOException {
			this.read += n;
			if (this.read > MAX_BODY_BYTES) {
				throw new IOException("request body over " + MAX_BODY_BYTES + " bytes");
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
