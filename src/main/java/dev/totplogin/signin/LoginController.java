package dev.totplogin.signin;

import dev.totplogin.security.Factors;
import dev.totplogin.security.SignInState;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Shows the password form (to a signed-in session only when another application asked it
 * to sign in again); Spring Security's form login handles its POST.
 */
@Controller
class LoginController {

	@GetMapping("/login")
	String login(Authentication authentication, Model model, HttpServletRequest request) {
		if (Factors.isFullyAuthenticated(authentication) && !SignInState.isSigningInAgain(request)) {
			return "redirect:/";
		}
		model.addAttribute("loginForm", LoginForm.showing(model.getAttribute("username")));
		return "login";
	}

}
