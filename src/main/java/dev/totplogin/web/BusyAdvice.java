package dev.totplogin.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import dev.totplogin.security.Busy;
import dev.totplogin.security.PasswordHashingBusyException;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** Registration and password changes hash too: when hashing is at capacity they answer "busy" like the login. */
@ControllerAdvice
class BusyAdvice {

	@ExceptionHandler(PasswordHashingBusyException.class)
	void busy(HttpServletResponse response) throws IOException {
		Busy.respond(response);
	}

}
