package dev.totplogin.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;

/**
 * The management port ({@code management.server.port}) once it listens: a request that
 * arrived on it, and only such a request, may read {@code /actuator/prometheus}. Taken
 * from the started server (so a random port in tests works), never from a header: on the
 * public port the endpoint stays refused, whatever the exposure says.
 */
@Component
class ManagementPort {

	/** The actuator's own server's name among the started web servers. */
	private static final String MANAGEMENT = "management";

	private volatile int port = -1;

	@EventListener
	void onStarted(WebServerInitializedEvent started) {
		if (MANAGEMENT.equals(started.getApplicationContext().getServerNamespace())) {
			this.port = started.getWebServer().getPort();
		}
	}

	/** Requests for {@code path} that arrived on the management port. */
	RequestMatcher matcher(String path) {
		return (request) -> arrivedHere(request) && path.equals(request.getRequestURI());
	}

	private boolean arrivedHere(HttpServletRequest request) {
		return this.port > 0 && request.getLocalPort() == this.port;
	}

}
