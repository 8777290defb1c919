package dev.totplogin.signin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import dev.totplogin.audit.ClientAddress;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "Forgot password?": one answer for every well-formed address ("if an account has this
 * verified address, we have sent a link"), whether or not one does: the request is only
 * queued here (ASVS 5.0 6.3.8).
 */
@Controller
@ConditionalOnProperty(name = "app.mail.enabled", matchIfMissing = true)
class ForgotPasswordController {

	private static final String VIEW = "password-forgot";

	private final PasswordResets resets;

	ForgotPasswordController(PasswordResets resets) {
		this.resets = resets;
	}

	@GetMapping("/password/forgot")
	String form(Model model) {
		model.addAttribute("forgotPasswordForm", ForgotPasswordForm.empty());
		return VIEW;
	}

	@PostMapping("/password/forgot")
	String request(@Valid @ModelAttribute ForgotPasswordForm forgotPasswordForm, BindingResult result,
			HttpServletRequest request, RedirectAttributes redirect) {
		if (result.hasErrors()) {
			return VIEW;
		}
		this.resets.request(forgotPasswordForm.email(), ClientAddress.keyOf(request.getRemoteAddr()));
		redirect.addFlashAttribute("info", "password.forgot.sent");
		return "redirect:/password/forgot";
	}

}
