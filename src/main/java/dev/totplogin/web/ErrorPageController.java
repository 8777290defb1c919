package dev.totplogin.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The error page, in place of Spring Boot's {@code BasicErrorController}: the same HTML
 * page whatever the client asks for (no JSON body with details), and {@code /error} asked
 * for directly is a page that does not exist.
 */
@Controller
class ErrorPageController implements ErrorController {

	@RequestMapping("/error")
	String error(HttpServletRequest request, HttpServletResponse response, Model model) {
		Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		int code = (status instanceof Integer forwarded) ? forwarded : HttpServletResponse.SC_NOT_FOUND;
		response.setStatus(code);
		model.addAttribute("status", code);
		// A message key the refusing filter set (the admin console's "sign in with the
		// code"): never anything from the request itself.
		if (request.getAttribute("errorReason") instanceof String reason) {
			model.addAttribute("reason", reason);
		}
		return "error";
	}

}
