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
 * to sign in again) and the passkey sign-in; Spring Security's form login handles its
 * POST, {@link SecurityKeyStep} the passkey's.
 */
@Controller
class LoginController {

	@GetMapping("/login")
	String login(Authentication authentication, Model model, HttpServletRequest request) {
		if (Factors.isFullyAuthenticated(authentication) && !SignInState.isSigningInAgain(request)) {
			return "redirect:/";
		}
		model.addAttribute("loginForm", LoginForm.showing(model.getAttribute("username")));
		// A session asked to sign in again (by another application) keeps its sign-in
		// until the password: a key there would only confirm it, so no passkey is
		// offered.
		model.addAttribute("passkeys", !SignInState.isSigningInAgain(request));
		return "login";
	}

}
