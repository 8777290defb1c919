package dev.totplogin.signin;

import java.time.Duration;
import java.util.Locale;

import dev.totplogin.security.DurationText;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SignInState;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.MessageSource;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Shows the password form (to a signed-in session only when another application asked it
 * to sign in again) and the passkey sign-in; Spring Security's form login handles its
 * POST, {@link SecurityKeyStep} the passkey's. A session ended by a time limit arrives
 * here with the limit, which its message names in the person's language ("after 30
 * minutes without activity").
 */
@Controller
class LoginController {

	private final MessageSource messages;

	LoginController(MessageSource messages) {
		this.messages = messages;
	}

	@GetMapping("/login")
	String login(Authentication authentication, Model model, HttpServletRequest request, Locale locale) {
		if (Factors.isFullyAuthenticated(authentication) && !SignInState.isSigningInAgain(request)) {
			return "redirect:/";
		}
		if (model.getAttribute(SignInState.MESSAGE_DURATION) instanceof String limit) {
			model.addAttribute("messageArgument", DurationText.of(Duration.parse(limit), this.messages, locale));
		}
		model.addAttribute("loginForm", LoginForm.showing(model.getAttribute("username")));
		// A session asked to sign in again (by another application) keeps its sign-in
		// until the password: a key there would only confirm it, so no passkey is
		// offered.
		model.addAttribute("passkeys", !SignInState.isSigningInAgain(request));
		return "login";
	}

}
