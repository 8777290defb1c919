package dev.totplogin.web;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

import dev.totplogin.security.SecurityHeaders;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.web.servlet.JakartaServletWebApplication;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The database cannot be reached: every request that needs it gets 503 with
 * {@code Retry-After} and the "temporarily unavailable" page, never a 500 or a stack
 * trace. It runs outside Spring Session's filter, so a session that cannot be loaded or
 * saved ends here too, and it writes the page itself (no session, no security context, no
 * error dispatch), because anything that rendered through the chain would need the
 * database again. A connection that could not be had fails after Hikari's
 * {@code connection-timeout} (2 s), so the answer comes within seconds; the work of the
 * request was in a transaction that never committed, so nothing is half-written.
 */
final class DatabaseUnavailableFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableFilter.class);

	/** Seconds a client should wait: about what a database restart or fail-over takes. */
	static final int RETRY_AFTER_SECONDS = 10;

	private final ITemplateEngine templates;

	private final LocaleResolver locales;

	private final SecurityHeaders securityHeaders;

	DatabaseUnavailableFilter(ITemplateEngine templates, LocaleResolver locales, SecurityHeaders securityHeaders) {
		this.templates = templates;
		this.locales = locales;
		this.securityHeaders = securityHeaders;
	}

	/**
	 * An error page that needs the session (the 404 page of a signed-in person) fails the
	 * same way.
	 */
	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | IOException | RuntimeException ex) {
			if (!unreachableDatabase(ex)) {
				throw ex;
			}
			// The method and path only: a query string may carry a token.
			log.warn("Database unreachable: {} {} answered 503 ({})", request.getMethod(), request.getRequestURI(),
					rootCause(ex));
			if (response.isCommitted()) {
				return;
			}
			response.reset();
			this.securityHeaders.writeTo(request, response);
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
			response.setContentType("text/html;charset=UTF-8");
			Locale locale = this.locales.resolveLocale(request);
			response.setLocale(locale);
			WebContext page = new WebContext(JakartaServletWebApplication.buildApplication(request.getServletContext())
				.buildExchange(request, response), locale);
			this.templates.process("unavailable", page, response.getWriter());
		}
	}

	/**
	 * A failure to reach the database, anywhere in the cause chain: no connection to be
	 * had (Hikari's timeout, a refused connection), or one the server dropped (SQLState
	 * class 08, connection exception; 57P01–57P03, the server shutting down or starting),
	 * or one Hikari has already closed for that reason (its "Connection is closed", which
	 * is what a rollback meets when the server went away in the middle of a transaction,
	 * and which then replaces the first failure). Anything else (a constraint, a bug)
	 * stays an error.
	 */
	static boolean unreachableDatabase(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() == cause) ? null : cause.getCause()) {
			if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
					|| cause instanceof CannotCreateTransactionException
					|| cause instanceof DataAccessResourceFailureException) {
				return true;
			}
			if (cause instanceof SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
				return true;
			}
			if (cause instanceof SQLException sql && closedByPool(sql)) {
				return true;
			}
		}
		return false;
	}

	private static boolean closedByPool(SQLException failure) {
		StackTraceElement[] stack = failure.getStackTrace();
		return "Connection is closed".equals(failure.getMessage()) && stack.length > 0
				&& stack[0].getClassName().startsWith("com.zaxxer.hikari.");
	}

	private static String rootCause(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName();
	}

}
