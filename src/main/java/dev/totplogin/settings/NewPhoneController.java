package dev.totplogin.settings;

import java.time.Clock;
import java.util.Optional;

import jakarta.servlet.http.HttpSession;
import jakarta.validation.Valid;

import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.totp.AuthenticatorSetup;

import dev.totplogin.totp.SetupSession;
import dev.totplogin.totp.SetupView;

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
 * Moving to a new phone, after fresh proof on the account page started it: the setup page
 * for the new secret, its QR code, and the code from the new phone that swaps it in.
 */
@Controller
class NewPhoneController {

	private static final String VIEW = "setup-2fa";

	private static final String PAGE = "/account/authenticator";

	private static final String QR_PATH = PAGE + "/qr.png";

	private static final String CONFIRM = PAGE + "/confirm";

	private final AuthenticatorSetup setup;

	private final SetupView setupView;

	private final Clock clock;

	NewPhoneController(AuthenticatorSetup setup, SetupView setupView, Clock clock) {
		this.setup = setup;
		this.setupView = setupView;
		this.clock = clock;
	}

	@GetMapping(PAGE)
	String replacementPage(@AuthenticationPrincipal AccountPrincipal principal, HttpSession session, Model model,
			RedirectAttributes redirect) {
		Optional<String> secret = this.setup.replacementSecret(principal.accountId(), SetupSession.tokenOf(session));
		if (secret.isEmpty()) {
			return SectionMessage.alert(redirect, "new-phone", "replace.expired");
		}
		model.addAttribute("codeForm", NewPhoneCodeForm.empty());
		addDetails(model, principal, secret.get(), session);
		return VIEW;
	}

	@GetMapping(path = QR_PATH, produces = MediaType.IMAGE_PNG_VALUE)
	ResponseEntity<byte[]> replacementQrCode(@AuthenticationPrincipal AccountPrincipal principal, HttpSession session) {
		return this.setupView.qrCode(principal.getUsername(),
				this.setup.replacementSecret(principal.accountId(), SetupSession.tokenOf(session)));
	}

	@PostMapping(CONFIRM)
	String confirmReplacement(@AuthenticationPrincipal AccountPrincipal principal,
			@Valid @ModelAttribute("codeForm") NewPhoneCodeForm codeForm, BindingResult result, HttpSession session,
			Model model, RedirectAttributes redirect) {
		Optional<String> secret = this.setup.replacementSecret(principal.accountId(), SetupSession.tokenOf(session));
		if (secret.isEmpty()) {
			return SectionMessage.alert(redirect, "new-phone", "replace.expired");
		}
		if (!result.hasErrors()) {
			AttemptResult attempt = this.setup.confirmReplacement(principal.accountId(), SetupSession.tokenOf(session),
					codeForm.code());
			if (attempt.accepted()) {
				return SectionMessage.info(redirect, "new-phone", "replace.done");
			}
			this.setupView.rejectCode(result, "code", attempt, this.clock, true);
		}
		addDetails(model, principal, secret.get(), session);
		return VIEW;
	}

	private void addDetails(Model model, AccountPrincipal principal, String secret, HttpSession session) {
		model.addAttribute("replacing", true);
		this.setupView.addTo(model, principal.getUsername(), secret, CONFIRM, QR_PATH);
		this.setupView.addRestarted(model,
				this.setup.replacementRestarted(principal.accountId(), SetupSession.tokenOf(session)));
	}

}
