package dev.totplogin.signin;

import dev.totplogin.security.Factors;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Shows the password form; Spring Security's form login handles its POST. */
@Controller
class LoginController {

	@GetMapping("/login")
	String login(Authentication authentication, Model model) {
		if (Factors.isFullyAuthenticated(authentication)) {
			return "redirect:/";
		}
		model.addAttribute("loginForm", LoginForm.showing(model.getAttribute("username")));
		return "login";
	}

}
