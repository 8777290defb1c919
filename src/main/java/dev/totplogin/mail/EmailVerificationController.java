package dev.totplogin.mail;

import java.util.Optional;

import dev.totplogin.security.Factors;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The verification link: its GET only shows a confirm button (a mail scanner that follows
 * links verifies nothing); the button's POST confirms the address.
 */
@Controller
@ConditionalOnProperty(name = "app.mail.enabled", matchIfMissing = true)
class EmailVerificationController {

	private static final String VIEW = "email-verify";

	private final EmailAddresses addresses;

	EmailVerificationController(EmailAddresses addresses) {
		this.addresses = addresses;
	}

	@GetMapping("/email/verify")
	String confirmPage(@RequestParam(required = false) String token, Model model) {
		model.addAttribute("token", (token != null && token.length() <= 100) ? token : "");
		return VIEW;
	}

	@PostMapping("/email/verify")
	String confirm(@RequestParam(required = false) String token, Authentication authentication,
			RedirectAttributes redirect) {
		Optional<Long> verified = this.addresses.verify(token);
		if (verified.isEmpty()) {
			redirect.addFlashAttribute("alert", "email.verify.invalid");
		}
		else {
			redirect.addFlashAttribute("info", "email.verify.done");
		}
		if (!Factors.isFullyAuthenticated(authentication)) {
			return "redirect:/login";
		}
		// On the account page, the message goes inside its email section.
		redirect.addFlashAttribute("messageSection", "email");
		return "redirect:/account#email";
	}

}
