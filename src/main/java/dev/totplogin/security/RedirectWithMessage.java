package dev.totplogin.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.support.SessionFlashMapManager;

/**
 * Post-redirect-get from inside the security filter chain, where Spring MVC's
 * {@code RedirectAttributes} are not available: the flash attributes reach the next page
 * the same way.
 */
final class RedirectWithMessage {

	private static final SessionFlashMapManager flashMapManager = new SessionFlashMapManager();

	private RedirectWithMessage() {
	}

	/**
	 * @param attributes alternating names and values, e.g.
	 * {@code "info", "login.signedOut"}
	 */
	static void send(HttpServletRequest request, HttpServletResponse response, String path, String... attributes)
			throws IOException {
		String target = save(request, response, path, attributes);
		response.sendRedirect(response.encodeRedirectURL(target));
	}

	/**
	 * The message only, for a caller that makes its own redirect.
	 * @return the path with the context path
	 */
	static String save(HttpServletRequest request, HttpServletResponse response, String path, String... attributes) {
		FlashMap flashMap = new FlashMap();
		for (int i = 0; i + 1 < attributes.length; i += 2) {
			flashMap.put(attributes[i], attributes[i + 1]);
		}
		String target = request.getContextPath() + path;
		flashMap.setTargetRequestPath(target);
		flashMapManager.saveOutputFlashMap(flashMap, request, response);
		return target;
	}

}
