package dev.totplogin.account;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.authentication.password.CompromisedPasswordChecker;
import org.springframework.security.web.authentication.password.HaveIBeenPwnedRestApiPasswordChecker;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Whether a new password appears in known breaches, when {@code app.breached-passwords}
 * is enabled: Spring Security's {@link HaveIBeenPwnedRestApiPasswordChecker}, which sends
 * only the first five hex digits of the password's SHA-1 (k-anonymity) and compares the
 * suffixes it gets back here. The answer is padded ({@code Add-Padding}), so its size
 * tells an observer nothing either.
 * <p>
 * Fails open: when the service cannot be reached, answers late (past
 * {@code app.breached-passwords.timeout}) or with an error, the password is judged by the
 * local rules alone ({@link PasswordPolicy}, zxcvbn's lists of common passwords) and a
 * warning without the password or any part of its hash is logged. A third party's outage
 * should not stop sign-ups, password changes and, above all, password resets, and the
 * local blocklist that NIST requires is checked either way. The checker logs a failed
 * request itself, with its URL (the hash prefix); so every failure is turned into
 * {@link Unavailable} before it could, which the checker does not catch.
 * <p>
 * Called from the validation of a form, before any transaction: no database connection is
 * held while waiting for the answer.
 */
@Component
class BreachedPasswords {

	private static final Logger log = LoggerFactory.getLogger(BreachedPasswords.class);

	/** Far more than a padded answer (about 1,000 lines of 40 characters). */
	private static final int MAX_ANSWER_BYTES = 1 << 20;

	/** The answer for the password checked last in this request. */
	private static final String CHECKED = BreachedPasswords.class.getName() + ".CHECKED";

	private final CompromisedPasswordChecker checker;

	BreachedPasswords(BreachedPasswordProperties properties) {
		this.checker = properties.enabled() ? haveIBeenPwned(properties) : null;
	}

	/** The check turned off: no lookup. */
	static BreachedPasswords off() {
		return new BreachedPasswords(new BreachedPasswordProperties(false, "", Duration.ZERO));
	}

	/**
	 * @return whether the password appears in known breaches; false when the check is off
	 * or the service gave no answer
	 */
	boolean breached(String password) {
		if (this.checker == null) {
			return false;
		}
		// A form is validated twice in some requests (the account page's step-up filter,
		// then its controller): one lookup each.
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (request != null && request.getAttribute(CHECKED, RequestAttributes.SCOPE_REQUEST) instanceof Checked checked
				&& checked.password().equals(password)) {
			return checked.breached();
		}
		boolean breached;
		try {
			breached = this.checker.check(password).isCompromised();
		}
		catch (Unavailable ex) {
			log.warn("The breached-password check got no answer ({}): the new password was judged by the local "
					+ "rules alone", ex.getMessage());
			breached = false;
		}
		if (request != null) {
			request.setAttribute(CHECKED, new Checked(password, breached), RequestAttributes.SCOPE_REQUEST);
		}
		return breached;
	}

	private static CompromisedPasswordChecker haveIBeenPwned(BreachedPasswordProperties properties) {
		SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
		requests.setConnectTimeout(properties.timeout());
		requests.setReadTimeout(properties.timeout());
		HaveIBeenPwnedRestApiPasswordChecker checker = new HaveIBeenPwnedRestApiPasswordChecker();
		checker.setRestClient(RestClient.builder()
			.baseUrl(properties.apiUrl())
			.requestFactory(requests)
			.defaultHeader("Add-Padding", "true")
			.requestInterceptor(answerOrUnavailable())
			.build());
		return checker;
	}

	/**
	 * The whole answer read here, within the timeouts, or {@link Unavailable}: no failure
	 * reaches the checker's own logging.
	 */
	private static ClientHttpRequestInterceptor answerOrUnavailable() {
		return (request, body, execution) -> {
			try (ClientHttpResponse response = execution.execute(request, body)) {
				HttpStatusCode status = response.getStatusCode();
				if (!status.is2xxSuccessful()) {
					throw new Unavailable("HTTP status " + status.value());
				}
				return new ReadAnswer(status, response.getHeaders(), response.getBody().readNBytes(MAX_ANSWER_BYTES));
			}
			catch (IOException ex) {
				throw new Unavailable(ex.getClass().getSimpleName());
			}
		};
	}

	/** No answer from the service; the message names the reason, never the request. */
	static final class Unavailable extends RuntimeException {

		Unavailable(String reason) {
			super(reason, null, false, false);
		}

	}

	/** A password and its answer, kept for the request only; its text shows neither. */
	private record Checked(String password, boolean breached) {

		@Override
		public String toString() {
			return "Checked[password hidden]";
		}

	}

	/** An answer read to its end while the connection was open. */
	private record ReadAnswer(HttpStatusCode status, HttpHeaders headers, byte[] body) implements ClientHttpResponse {

		@Override
		public HttpStatusCode getStatusCode() {
			return this.status;
		}

		@Override
		public String getStatusText() {
			return "";
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

		@Override
		public InputStream getBody() {
			return new ByteArrayInputStream(this.body);
		}

		@Override
		public void close() {
		}

	}

}
