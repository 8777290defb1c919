package dev.totplogin.totp;

import java.time.Clock;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.CodeCheck;
import dev.totplogin.security.CodeMessages;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SignIn;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The code step of every login after enrollment. */
@Controller
class VerifyController {

	private static final String VIEW = "verify-2fa";

	private final TotpService totp;

	private final SignIn signIn;

	private final Clock clock;

	VerifyController(TotpService totp, SignIn signIn, Clock clock) {
		this.totp = totp;
		this.signIn = signIn;
		this.clock = clock;
	}

	@GetMapping("/verify-2fa")
	String verifyPage(Authentication authentication, @AuthenticationPrincipal AccountPrincipal principal,
			Model model) {
		if (Factors.isFullyAuthenticated(authentication)) {
			return "redirect:/";
		}
		model.addAttribute("codeForm", CodeForm.empty());
		model.addAttribute("username", principal.getUsername());
		return VIEW;
	}

	@PostMapping("/verify-2fa")
	String verify(Authentication authentication, @AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute CodeForm codeForm, BindingResult result, Model model, HttpServletRequest request,
			HttpServletResponse response, RedirectAttributes redirect) {
		if (Factors.isFullyAuthenticated(authentication)) {
			return "redirect:/";
		}
		if (!result.hasErrors()) {
			CodeCheck check = this.totp.verify(principal.accountId(), codeForm.code());
			Optional<String> next = this.signIn.afterCodeStep(check, request, response, redirect);
			if (next.isPresent()) {
				return next.get();
			}
			CodeMessages.reject(result, "code", check, this.clock);
		}
		model.addAttribute("username", principal.getUsername());
		return VIEW;
	}

}
