package dev.totplogin.signin;

import java.time.Clock;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.securitykey.SecurityKeys;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SignInPages;
import dev.totplogin.totp.CodeForm;
import dev.totplogin.totp.TotpService;
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
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The code step of every login after enrollment. A browser the account trusts skips it;
 * after a code (never after a recovery code), the person may tick {@code rememberBrowser}
 * to be trusted on this browser.
 */
@Controller
class CodeStepController {

	private static final String VIEW = "verify-2fa";

	private final TotpService totp;

	private final CodeStep codeStep;

	private final Clock clock;

	private final TrustedBrowsers trustedBrowsers;

	private final AuditLog audit;

	private final SecurityKeys securityKeys;

	CodeStepController(TotpService totp, CodeStep codeStep, Clock clock, TrustedBrowsers trustedBrowsers,
			AuditLog audit, SecurityKeys securityKeys) {
		this.totp = totp;
		this.codeStep = codeStep;
		this.clock = clock;
		this.trustedBrowsers = trustedBrowsers;
		this.audit = audit;
		this.securityKeys = securityKeys;
	}

	/**
	 * The code page; or, on a browser this account trusts, straight on (the password step
	 * has just sent the person here).
	 */
	@GetMapping(SignInPages.VERIFY)
	String verifyPage(Authentication authentication, @AuthenticationPrincipal AccountPrincipal principal, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		if (Factors.isFullyAuthenticated(authentication)) {
			return "redirect:/";
		}
		Optional<String> trusted = this.trustedBrowsers.recognises(principal.accountId(), request, response);
		if (trusted.isPresent()) {
			this.codeStep.signedInOnTrustedBrowser(trusted.get(), request, response);
			this.audit.record(principal.accountId(), SecurityEventType.TRUSTED_BROWSER_SIGN_IN);
			return "redirect:" + this.codeStep.targetAfterSignIn(request, response);
		}
		this.codeStep.addForm(model, "codeForm", CodeForm.empty(), principal.accountId(), "code",
				AttemptMessages.Typed.CODE);
		model.addAttribute("username", principal.getUsername());
		model.addAttribute("hasSecurityKey", this.securityKeys.any(principal.getUsername()));
		return VIEW;
	}

	@PostMapping(SignInPages.VERIFY)
	String verify(Authentication authentication, @AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute CodeForm codeForm, BindingResult result,
			@RequestParam(defaultValue = "false") boolean rememberBrowser, Model model, HttpServletRequest request,
			HttpServletResponse response, RedirectAttributes redirect) {
		if (Factors.isFullyAuthenticated(authentication)) {
			return "redirect:/";
		}
		if (!result.hasErrors()) {
			AttemptResult attempt = this.totp.verify(principal.accountId(), codeForm.code());
			Optional<String> next = this.codeStep.after(attempt, request, response, redirect);
			if (attempt.accepted() && rememberBrowser) {
				this.codeStep.trustThisBrowser(principal.accountId(), request, response);
			}
			if (next.isPresent()) {
				return next.get();
			}
			AttemptMessages.rejectCode(result, "code", attempt, this.clock);
		}
		model.addAttribute("username", principal.getUsername());
		model.addAttribute("rememberBrowser", rememberBrowser);
		model.addAttribute("hasSecurityKey", this.securityKeys.any(principal.getUsername()));
		return VIEW;
	}

}
