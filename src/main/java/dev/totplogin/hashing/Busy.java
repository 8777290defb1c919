package dev.totplogin.hashing;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

/** The "busy, try again" answer: 503 with Retry-After, rendered by the error page. */
public final class Busy {

	/** Seconds a client should wait before trying again. */
	public static final int RETRY_AFTER_SECONDS = 5;

	private Busy() {
	}

	public static void respond(HttpServletResponse response) throws IOException {
		response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
		response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
	}

}
