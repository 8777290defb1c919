package dev.totplogin.totp;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import dev.totplogin.security.AccountPrincipal;
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
 * Enrollment: the page with the QR code and the key, the QR image itself, and the code that confirms the
 * authenticator. Only a session that passed the password step of a not-yet-enrolled account gets here (see
 * {@code PartialAuthenticationFilter}); an enrolled account never sees a new secret through this page.
 */
@Controller
class SetupController {

	private static final String VIEW = "setup-2fa";

	private final TotpService totp;

	private final TotpProperties properties;

	private final QrCodeRenderer qrCodes;

	private final SignIn signIn;

	SetupController(TotpService totp, TotpProperties properties, QrCodeRenderer qrCodes, SignIn signIn) {
		this.totp = totp;
		this.properties = properties;
		this.qrCodes = qrCodes;
		this.signIn = signIn;
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
		Optional<String> secret = principal.totpEnabled() ? Optional.empty()
				: this.totp.enrollmentSecret(principal.accountId());
		if (secret.isEmpty()) {
			return ResponseEntity.notFound().cacheControl(CacheControl.noStore()).build();
		}
		byte[] png = this.qrCodes.png(uri(principal, secret.get()));
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.IMAGE_PNG).body(png);
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
			TotpService.Result outcome = this.totp.confirmEnrollment(principal.accountId(), codeForm.code());
			if (outcome == TotpService.Result.ACCEPTED) {
				this.signIn.secondFactorVerified(request, response);
				redirect.addFlashAttribute("info", "setup.done");
				return "redirect:" + this.signIn.targetAfterSignIn(request, response);
			}
			result.rejectValue("code", CodeMessages.keyFor(outcome));
		}
		addEnrollmentDetails(model, principal, secret.get());
		return VIEW;
	}

	private void addEnrollmentDetails(Model model, AccountPrincipal principal, String secret) {
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
