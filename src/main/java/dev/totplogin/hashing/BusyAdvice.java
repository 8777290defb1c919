package dev.totplogin.hashing;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Registration and password changes hash too: when hashing is at capacity they answer
 * "busy" like the login.
 */
@ControllerAdvice
class BusyAdvice {

	@ExceptionHandler(PasswordHashingBusyException.class)
	void busy(HttpServletResponse response) throws IOException {
		Busy.respond(response);
	}

}
