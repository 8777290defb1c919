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
 * the other list actions, and is refused for the last passkey of an account without an
 * authenticator app (its last way back in).
 */
@Controller
@RequestMapping("/account/security-keys")
class SecurityKeysController {

	private final SecurityKeys securityKeys;

	SecurityKeysController(SecurityKeys securityKeys) {
		this.securityKeys = securityKeys;
	}

	@PostMapping("/added")
	String added(RedirectAttributes redirect) {
		return SectionMessage.info(redirect, "security-keys", "account.keys.added");
	}

	@PostMapping("/{id}/remove")
	String remove(@AuthenticationPrincipal AccountPrincipal principal, @PathVariable String id,
			HttpServletRequest request, RedirectAttributes redirect) {
		boolean removed;
		try {
			removed = this.securityKeys.remove(principal.accountId(), principal.getUsername(), id).isPresent();
		}
		catch (SecurityKeys.LastWayIn ex) {
			return SectionMessage.alert(redirect, "security-keys", "account.keys.lastWayIn");
		}
		return removed ? SectionMessage.info(redirect, "security-keys", "account.keys.removed")
				: SectionMessage.alert(redirect, "security-keys", "account.keys.gone");
	}

}
