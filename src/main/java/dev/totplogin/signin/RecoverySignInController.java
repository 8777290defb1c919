package dev.totplogin.signin;

import java.time.Clock;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.SecondStep;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The code step with a recovery code instead of the phone: "Use a recovery code" on
 * /verify-2fa. The code posted is checked by {@link PartialAuthenticationFilter}; what
 * comes here is the page to show again.
 */
@Controller
class RecoverySignInController {

	static final String PATH = SecondStep.VERIFY + "/recovery";

	private static final String VIEW = "verify-recovery";

	private final CodeStep codeStep;

	private final Clock clock;

	RecoverySignInController(CodeStep codeStep, Clock clock) {
		this.codeStep = codeStep;
		this.clock = clock;
	}

	@GetMapping(PATH)
	String form(Authentication authentication, @AuthenticationPrincipal AccountPrincipal principal, Model model) {
		Optional<String> elsewhere = CodeStepController.elsewhere(authentication, principal);
		if (elsewhere.isPresent()) {
			return elsewhere.get();
		}
		this.codeStep.addForm(model, "recoveryCodeForm", RecoveryCodeForm.empty(), principal.accountId(),
				"recoveryCode", AttemptMessages.Typed.RECOVERY_CODE);
		return VIEW;
	}

	/**
	 * The page again: a refused recovery code, with why, or a form that fails its checks.
	 */
	@PostMapping(PATH)
	String signIn(Authentication authentication, @AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute RecoveryCodeForm recoveryCodeForm, BindingResult result,
			HttpServletRequest request) {
		Optional<String> elsewhere = CodeStepController.elsewhere(authentication, principal);
		if (elsewhere.isPresent()) {
			return elsewhere.get();
		}
		if (!result.hasErrors()) {
			PartialAuthenticationFilter.refusal(request)
				.ifPresent((attempt) -> AttemptMessages.rejectCode(result, "recoveryCode", attempt, this.clock,
						AttemptMessages.Typed.RECOVERY_CODE));
		}
		return VIEW;
	}

}
