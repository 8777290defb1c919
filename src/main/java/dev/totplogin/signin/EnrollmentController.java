package dev.totplogin.signin;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.recovery.IssuedRecoveryCodes;
import dev.totplogin.recovery.RecoveryCodes;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SecondStep;
import dev.totplogin.security.SignInState;
import dev.totplogin.totp.AuthenticatorSetup;
import dev.totplogin.totp.SetupSession;
import dev.totplogin.totp.SetupView;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Enrollment: the page with the QR code and the key, the QR image itself, and the code
 * that confirms the authenticator. Only a session that passed the password step of a
 * not-yet-enrolled account reaches it (the second step's rule and entry point); an
 * enrolled account never sees a new secret here.
 */
@Controller
class EnrollmentController {

	private static final String VIEW = "setup-2fa";

	private static final String QR_PATH = SecondStep.SETUP + "/qr.png";

	private final AuthenticatorSetup setup;

	private final SetupView setupView;

	private final SignInState signInState;

	private final RecoveryCodes recoveryCodes;

	private final IssuedRecoveryCodes issuedRecoveryCodes;

	private final Clock clock;

	private final AuditLog audit;

	EnrollmentController(AuthenticatorSetup setup, SetupView setupView, SignInState signInState,
			RecoveryCodes recoveryCodes, IssuedRecoveryCodes issuedRecoveryCodes, Clock clock, AuditLog audit) {
		this.setup = setup;
		this.setupView = setupView;
		this.signInState = signInState;
		this.recoveryCodes = recoveryCodes;
		this.issuedRecoveryCodes = issuedRecoveryCodes;
		this.clock = clock;
		this.audit = audit;
	}

	@GetMapping(SecondStep.SETUP)
	String setupPage(@AuthenticationPrincipal AccountPrincipal principal, Model model, HttpServletRequest request,
			RedirectAttributes redirect) {
		if (principal.totpEnabled()) {
			return enrolled();
		}
		Optional<String> secret = this.setup.enrollmentSecret(principal.accountId(),
				SetupSession.tokenOf(request.getSession()));
		if (secret.isEmpty()) {
			return startAgain(request, redirect);
		}
		model.addAttribute("codeForm", CodeForm.empty());
		addDetails(model, principal, secret.get(), request);
		return VIEW;
	}

	@GetMapping(path = QR_PATH, produces = MediaType.IMAGE_PNG_VALUE)
	ResponseEntity<byte[]> qrCode(@AuthenticationPrincipal AccountPrincipal principal, HttpServletRequest request) {
		if (principal.totpEnabled()) {
			return ResponseEntity.status(HttpStatus.FOUND)
				.location(URI.create(enrolled().substring("redirect:".length())))
				.build();
		}
		return this.setupView.qrCode(principal.getUsername(), principal.totpEnabled() ? Optional.empty()
				: this.setup.enrollmentSecret(principal.accountId(), SetupSession.tokenOf(request.getSession())));
	}

	@PostMapping(SecondStep.SETUP)
	String confirm(@AuthenticationPrincipal AccountPrincipal principal, @Valid @ModelAttribute CodeForm codeForm,
			BindingResult result, Model model, HttpServletRequest request, HttpServletResponse response,
			RedirectAttributes redirect) {
		if (principal.totpEnabled()) {
			return enrolled();
		}
		Optional<String> secret = this.setup.enrollmentSecret(principal.accountId(),
				SetupSession.tokenOf(request.getSession()));
		if (secret.isEmpty()) {
			return startAgain(request, redirect);
		}
		if (!result.hasErrors()) {
			AttemptResult attempt = this.setup.confirmEnrollment(principal.accountId(),
					SetupSession.tokenOf(request.getSession()), codeForm.code());
			if (attempt.accepted()) {
				if (!this.signInState.secondFactorProven(Factors.TOTP, request, response)) {
					return "redirect:/login";
				}
				this.issuedRecoveryCodes.keep(request.getSession(), principal.accountId(),
						this.recoveryCodes.issueFirst(principal.accountId()));
				redirect.addFlashAttribute("info", "setup.done");
				return "redirect:/recovery-codes";
			}
			this.setupView.rejectCode(result, "code", attempt, this.clock, false);
		}
		addDetails(model, principal, secret.get(), request);
		return VIEW;
	}

	/**
	 * An enrolled account has no setup page: home once signed in, else its code step.
	 */
	private static String enrolled() {
		Authentication authentication = SecurityContextHolder.getContextHolderStrategy()
			.getContext()
			.getAuthentication();
		return "redirect:" + (Factors.isFullyAuthenticated(authentication) ? "/" : SecondStep.VERIFY);
	}

	private void addDetails(Model model, AccountPrincipal principal, String secret, HttpServletRequest request) {
		model.addAttribute("replacing", false);
		this.setupView.addTo(model, principal.getUsername(), secret, SecondStep.SETUP, QR_PATH);
		this.setupView.addRestarted(model,
				this.setup.enrollmentRestarted(principal.accountId(), SetupSession.tokenOf(request.getSession())));
		model.addAttribute("adminReset", resetByOperator(principal.accountId()));
	}

	/**
	 * Whether the account is here because an operator reset its second factor (the
	 * command line's {@code --reset-2fa}) and has not set it up since: the page says why.
	 */
	private boolean resetByOperator(long accountId) {
		return this.audit.latest(accountId, SecurityEventType.SECOND_FACTOR_ENABLED, SecurityEventType.ADMIN_RESET)
			.map((event) -> event.getType() == SecurityEventType.ADMIN_RESET)
			.orElse(false);
	}

	/**
	 * The account was enrolled by another session since this one's password step: sign in
	 * again.
	 */
	private String startAgain(HttpServletRequest request, RedirectAttributes redirect) {
		this.signInState.end(request);
		redirect.addFlashAttribute("alert", "login.startAgain");
		return "redirect:/login";
	}

}
