package dev.totplogin.signin;

import java.time.Clock;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SignInPages;
import dev.totplogin.totp.CodeForm;
import dev.totplogin.totp.TotpService;

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
class CodeStepController {

	private static final String VIEW = "verify-2fa";

	private final TotpService totp;

	private final CodeStep codeStep;

	private final Clock clock;

	CodeStepController(TotpService totp, CodeStep codeStep, Clock clock) {
		this.totp = totp;
		this.codeStep = codeStep;
		this.clock = clock;
	}

	@GetMapping(SignInPages.VERIFY)
	String verifyPage(Authentication authentication, @AuthenticationPrincipal AccountPrincipal principal, Model model) {
		if (Factors.isFullyAuthenticated(authentication)) {
			return "redirect:/";
		}
		model.addAttribute("codeForm", CodeForm.empty());
		model.addAttribute("username", principal.getUsername());
		return VIEW;
	}

	@PostMapping(SignInPages.VERIFY)
	String verify(Authentication authentication, @AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute CodeForm codeForm, BindingResult result, Model model, HttpServletRequest request,
			HttpServletResponse response, RedirectAttributes redirect) {
		if (Factors.isFullyAuthenticated(authentication)) {
			return "redirect:/";
		}
		if (!result.hasErrors()) {
			AttemptResult attempt = this.totp.verify(principal.accountId(), codeForm.code());
			Optional<String> next = this.codeStep.after(attempt, request, response, redirect);
			if (next.isPresent()) {
				return next.get();
			}
			AttemptMessages.rejectCode(result, "code", attempt, this.clock);
		}
		model.addAttribute("username", principal.getUsername());
		return VIEW;
	}

}
