package dev.totplogin.signin;

import java.time.Clock;
import java.time.Duration;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.AccountSessions;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SecondStep;
import dev.totplogin.security.SecurityProperties;
import dev.totplogin.security.SignInState;
import dev.totplogin.securitykey.SecurityKeys;
import dev.totplogin.trustedbrowser.TrustedBrowsers;

import org.springframework.security.core.Authentication;

import org.springframework.security.core.annotation.AuthenticationPrincipal;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The code step's page. A browser the account trusts skips it; the code posted from it is
 * taken by {@link PartialAuthenticationFilter}, so the {@code POST} here only sees what
 * that filter leaves: a form that fails its own checks (empty, not six digits), which
 * costs no attempt.
 */
@Controller
class CodeStepController {

	private static final String VIEW = "verify-2fa";

	private final CodeStep codeStep;

	private final TrustedBrowsers trustedBrowsers;

	private final SecurityKeys securityKeys;

	private final SignInCompletion completion;

	private final AccountSessions sessions;

	private final Clock clock;

	private final Duration absoluteTimeout;

	CodeStepController(CodeStep codeStep, TrustedBrowsers trustedBrowsers, SecurityKeys securityKeys,
			SignInCompletion completion, AccountSessions sessions, Clock clock, SecurityProperties properties) {
		this.absoluteTimeout = properties.absoluteTimeout();
		this.codeStep = codeStep;
		this.trustedBrowsers = trustedBrowsers;
		this.securityKeys = securityKeys;
		this.completion = completion;
		this.sessions = sessions;
		this.clock = clock;
	}

	/**
	 * The code page; or, on a browser this account trusts where a code or a key was
	 * proven within the absolute limit, straight on (the password step has just sent the
	 * person here): the browser stands in for the second factor.
	 */
	@GetMapping(SecondStep.VERIFY)
	String verifyPage(Authentication authentication, @AuthenticationPrincipal AccountPrincipal principal, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Optional<String> elsewhere = elsewhere(authentication, principal);
		if (elsewhere.isPresent()) {
			return elsewhere.get();
		}
		// Unless another application asked for the code this time (OpenID Connect
		// acr_values).
		// Only if a code or key was proven on this browser within the absolute limit: the
		// sign-in is the password alone (aal1), and its limit counts from that proof.
		Optional<TrustedBrowsers.Recognised> trusted = SignInState.codeRequired(request) ? Optional.empty()
				: this.trustedBrowsers.recognises(principal.accountId(),
						this.clock.instant().minus(this.absoluteTimeout), request, response);
		if (trusted.isPresent()) {
			String target = this.completion.complete(
					Factors.with(authentication, Factors.TRUSTED_BROWSER, trusted.get().secondFactorAt()), request,
					response);
			this.sessions.onTrustedBrowser(trusted.get().id());
			return "redirect:" + target;
		}
		this.codeStep.addCodePage(model, CodeForm.empty(), principal.accountId(), principal.getUsername());
		model.addAttribute("username", principal.getUsername());
		return VIEW;
	}

	/**
	 * The page again: a code the filter refused, with why; or a form the filter did not
	 * take because it fails its own checks (empty, not six digits), which costs no
	 * attempt.
	 */
	@PostMapping(SecondStep.VERIFY)
	String verify(Authentication authentication, @AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute CodeForm codeForm, BindingResult result,
			@RequestParam(defaultValue = "false") boolean rememberBrowser, Model model, HttpServletRequest request) {
		Optional<String> elsewhere = elsewhere(authentication, principal);
		if (elsewhere.isPresent()) {
			return elsewhere.get();
		}
		if (!result.hasErrors()) {
			PartialAuthenticationFilter.refusal(request)
				.ifPresent((attempt) -> AttemptMessages.rejectCode(result, "code", attempt, this.clock));
		}
		model.addAttribute("username", principal.getUsername());
		model.addAttribute("rememberBrowser", rememberBrowser);
		model.addAttribute("hasSecurityKey", this.securityKeys.any(principal.getUsername()));
		return VIEW;
	}

	/** Signed in already, or an account still to enroll: not this page. */
	static Optional<String> elsewhere(Authentication authentication, AccountPrincipal principal) {
		if (Factors.isFullyAuthenticated(authentication)) {
			return Optional.of("redirect:/");
		}
		return principal.totpEnabled() ? Optional.empty() : Optional.of("redirect:" + SecondStep.SETUP);
	}

}
