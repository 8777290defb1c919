package dev.totplogin.security;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Shows the password form; Spring Security's form login handles its POST. */
@Controller
class LoginController {

	@GetMapping("/login")
	String login(Authentication authentication) {
		return Factors.isFullyAuthenticated(authentication) ? "redirect:/" : "login";
	}

}
