package dev.totplogin.totp;

import java.time.Clock;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import dev.totplogin.recovery.IssuedRecoveryCodes;
import dev.totplogin.recovery.RecoveryCodes;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.CodeCheck;
import dev.totplogin.security.CodeMessages;
import dev.totplogin.security.SignIn;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The page with the QR code and the key, the QR image itself, and the code that confirms the authenticator: for
 * enrollment ({@code /setup-2fa}: only a session that passed the password step of a not-yet-enrolled account, see
 * {@code PartialAuthenticationFilter}; an enrolled account never sees a new secret here), and for moving to a new
 * phone ({@code /account/authenticator}: only after fresh proof on the account page started it).
 */
@Controller
class SetupController {

	private static final String VIEW = "setup-2fa";

	private final TotpService totp;

	private final TotpProperties properties;

	private final QrCodeRenderer qrCodes;

	private final SignIn signIn;

	private final RecoveryCodes recoveryCodes;

	private final Clock clock;

	SetupController(TotpService totp, TotpProperties properties, QrCodeRenderer qrCodes, SignIn signIn,
			RecoveryCodes recoveryCodes, Clock clock) {
		this.totp = totp;
		this.properties = properties;
		this.qrCodes = qrCodes;
		this.signIn = signIn;
		this.recoveryCodes = recoveryCodes;
		this.clock = clock;
	}

	@GetMapping("/setup-2fa")
	String setupPage(@AuthenticationPrincipal AccountPrincipal principal, Model model, HttpServletRequest request,
			RedirectAttributes redirect) {
		if (principal.totpEnabled()) {
			return "redirect:/";
		}
		Optional<String> secret = this.totp.enrollmentSecret(principal.accountId());
		if (secret.isEmpty()) {
			return startAgain(request, redirect);
		}
		model.addAttribute("codeForm", CodeForm.empty());
		addEnrollmentDetails(model, principal, secret.get());
		return VIEW;
	}

	@GetMapping(path = "/setup-2fa/qr.png", produces = MediaType.IMAGE_PNG_VALUE)
	ResponseEntity<byte[]> qrCode(@AuthenticationPrincipal AccountPrincipal principal) {
		return qrResponse(principal, principal.totpEnabled() ? Optional.empty()
				: this.totp.enrollmentSecret(principal.accountId()));
	}

	@PostMapping("/setup-2fa")
	String confirm(@AuthenticationPrincipal AccountPrincipal principal, @Valid @ModelAttribute CodeForm codeForm,
			BindingResult result, Model model, HttpServletRequest request, HttpServletResponse response,
			RedirectAttributes redirect) {
		if (principal.totpEnabled()) {
			return "redirect:/";
		}
		Optional<String> secret = this.totp.enrollmentSecret(principal.accountId());
		if (secret.isEmpty()) {
			return startAgain(request, redirect);
		}
		if (!result.hasErrors()) {
			CodeCheck.Outcome outcome = this.totp.confirmEnrollment(principal.accountId(), codeForm.code());
			if (outcome == CodeCheck.Outcome.ACCEPTED) {
				this.signIn.secondFactorVerified(request, response);
				IssuedRecoveryCodes.keep(request.getSession(), this.recoveryCodes.issue(principal.accountId()));
				redirect.addFlashAttribute("info", "setup.done");
				return "redirect:/recovery-codes";
			}
			CodeMessages.reject(result, "code", CodeCheck.of(outcome), this.clock);
		}
		addEnrollmentDetails(model, principal, secret.get());
		return VIEW;
	}

	/** Moving to a new phone: the same page, for the secret started from /account after fresh proof. */
	@GetMapping("/account/authenticator")
	String replacementPage(@AuthenticationPrincipal AccountPrincipal principal, Model model,
			RedirectAttributes redirect) {
		Optional<String> secret = this.totp.replacementSecret(principal.accountId());
		if (secret.isEmpty()) {
			redirect.addFlashAttribute("alert", "replace.expired");
			return "redirect:/account";
		}
		model.addAttribute("codeForm", CodeForm.empty());
		addReplacementDetails(model, principal, secret.get());
		return VIEW;
	}

	@GetMapping(path = "/account/authenticator/qr.png", produces = MediaType.IMAGE_PNG_VALUE)
	ResponseEntity<byte[]> replacementQrCode(@AuthenticationPrincipal AccountPrincipal principal) {
		return qrResponse(principal, this.totp.replacementSecret(principal.accountId()));
	}

	@PostMapping("/account/authenticator/confirm")
	String confirmReplacement(@AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute CodeForm codeForm, BindingResult result, Model model, RedirectAttributes redirect) {
		Optional<String> secret = this.totp.replacementSecret(principal.accountId());
		if (secret.isEmpty()) {
			redirect.addFlashAttribute("alert", "replace.expired");
			return "redirect:/account";
		}
		if (!result.hasErrors()) {
			CodeCheck.Outcome outcome = this.totp.confirmReplacement(principal.accountId(), codeForm.code());
			if (outcome == CodeCheck.Outcome.ACCEPTED) {
				redirect.addFlashAttribute("info", "replace.done");
				return "redirect:/account";
			}
			CodeMessages.reject(result, "code", CodeCheck.of(outcome), this.clock);
		}
		addReplacementDetails(model, principal, secret.get());
		return VIEW;
	}

	private void addReplacementDetails(Model model, AccountPrincipal principal, String secret) {
		addEnrollmentDetails(model, principal, secret);
		model.addAttribute("replacing", true);
		model.addAttribute("formAction", "/account/authenticator/confirm");
		model.addAttribute("qrUrl", "/account/authenticator/qr.png");
	}

	private ResponseEntity<byte[]> qrResponse(AccountPrincipal principal, Optional<String> secret) {
		if (secret.isEmpty()) {
			return ResponseEntity.notFound().cacheControl(CacheControl.noStore()).build();
		}
		byte[] png = this.qrCodes.png(uri(principal, secret.get()));
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.IMAGE_PNG).body(png);
	}

	private void addEnrollmentDetails(Model model, AccountPrincipal principal, String secret) {
		model.addAttribute("replacing", false);
		model.addAttribute("formAction", "/setup-2fa");
		model.addAttribute("qrUrl", "/setup-2fa/qr.png");
		model.addAttribute("username", principal.getUsername());
		model.addAttribute("issuer", this.properties.issuer());
		model.addAttribute("secret", secret);
		model.addAttribute("secretGroups", String.join(" ", secret.split("(?<=\\G.{4})")));
		model.addAttribute("otpauthUri", uri(principal, secret));
	}

	private String uri(AccountPrincipal principal, String secret) {
		return OtpAuthUri.of(this.properties.issuer(), principal.getUsername(), secret);
	}

	/** The account was enrolled by another session since this one's password step: sign in again. */
	private String startAgain(HttpServletRequest request, RedirectAttributes redirect) {
		this.signIn.end(request);
		redirect.addFlashAttribute("alert", "login.startAgain");
		return "redirect:/login";
	}

}
