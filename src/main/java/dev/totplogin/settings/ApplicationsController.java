package dev.totplogin.settings;

import dev.totplogin.oidc.SignedInApplications;
import dev.totplogin.security.AccountPrincipal;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "Sign out of this application" on the account page: the application's sign-ins end in
 * every browser (its refresh tokens revoked, a back-channel logout if it takes one). No
 * fresh proof: it only takes access away.
 */
@Controller
class ApplicationsController {

	private final SignedInApplications applications;

	ApplicationsController(SignedInApplications applications) {
		this.applications = applications;
	}

	@PostMapping("/account/applications/{clientId}/sign-out")
	String signOut(@AuthenticationPrincipal AccountPrincipal principal, @PathVariable String clientId,
			RedirectAttributes redirect) {
		return this.applications.signOut(principal.accountId(), clientId)
				? SectionMessage.info(redirect, "applications", "account.applications.signedOut")
				: SectionMessage.alert(redirect, "applications", "account.applications.gone");
	}

}
