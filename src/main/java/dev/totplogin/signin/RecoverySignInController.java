package dev.totplogin.signin;

import java.time.Clock;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.recovery.RecoveryCodes;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SignInPages;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The code step with a recovery code instead of the phone: "Use a recovery code" on
 * /verify-2fa.
 */
@Controller
class RecoverySignInController {

	private static final String VIEW = "verify-recovery";

	private static final String PATH = SignInPages.VERIFY + "/recovery";

	private final RecoveryCodes recoveryCodes;

	private final CodeStep codeStep;

	private final Clock clock;

	RecoverySignInController(RecoveryCodes recoveryCodes, CodeStep codeStep, Clock clock) {
		this.recoveryCodes = recoveryCodes;
		this.codeStep = codeStep;
		this.clock = clock;
	}

	@GetMapping(PATH)
	String form(Authentication authentication, @AuthenticationPrincipal AccountPrincipal principal, Model model) {
		if (Factors.isFullyAuthenticated(authentication)) {
			return "redirect:/";
		}
		this.codeStep.addForm(model, "recoveryCodeForm", RecoveryCodeForm.empty(), principal.accountId(),
				"recoveryCode", AttemptMessages.Typed.RECOVERY_CODE);
		return VIEW;
	}

	@PostMapping(PATH)
	String signIn(Authentication authentication, @AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute RecoveryCodeForm recoveryCodeForm, BindingResult result, HttpServletRequest request,
			HttpServletResponse response, RedirectAttributes redirect) {
		if (Factors.isFullyAuthenticated(authentication)) {
			return "redirect:/";
		}
		if (result.hasErrors()) {
			return VIEW;
		}
		AttemptResult attempt = this.recoveryCodes.use(principal.accountId(), recoveryCodeForm.recoveryCode());
		Optional<String> next = this.codeStep.after(attempt, request, response, redirect);
		if (next.isPresent()) {
			return next.get();
		}
		AttemptMessages.rejectCode(result, "recoveryCode", attempt, this.clock, AttemptMessages.Typed.RECOVERY_CODE);
		return VIEW;
	}

}
