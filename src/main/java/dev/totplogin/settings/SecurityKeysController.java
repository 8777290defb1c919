package dev.totplogin.settings;

import jakarta.servlet.http.HttpServletRequest;

import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.securitykey.SecurityKeys;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The account's security keys. Adding one is our script's ceremony with Spring Security's
 * endpoints (kept to sessions with fresh proof by
 * {@code securitykey.SecurityKeyRegistrationGate}); when it has succeeded, the script
 * posts the form here for the page and its message. Removing one needs fresh proof, like
 * the other list actions.
 */
@Controller
@RequestMapping("/account/security-keys")
class SecurityKeysController {

	private final SecurityKeys securityKeys;

	private final FreshProof freshProof;

	SecurityKeysController(SecurityKeys securityKeys, FreshProof freshProof) {
		this.securityKeys = securityKeys;
		this.freshProof = freshProof;
	}

	@PostMapping("/added")
	String added(RedirectAttributes redirect) {
		redirect.addFlashAttribute("info", "account.keys.added");
		return "redirect:/account#security-keys";
	}

	@PostMapping("/{id}/remove")
	String remove(@AuthenticationPrincipal AccountPrincipal principal, @PathVariable String id,
			HttpServletRequest request, RedirectAttributes redirect) {
		if (this.freshProof.until(request.getSession()).isEmpty()) {
			redirect.addFlashAttribute("alert", "account.confirmFirst");
			return "redirect:/account#confirm";
		}
		boolean removed = this.securityKeys.remove(principal.accountId(), principal.getUsername(), id).isPresent();
		redirect.addFlashAttribute(removed ? "info" : "alert", removed ? "account.keys.removed" : "account.keys.gone");
		return "redirect:/account#security-keys";
	}

}
