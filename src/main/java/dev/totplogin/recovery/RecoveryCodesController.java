package dev.totplogin.recovery;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.http.HttpSession;

import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.totp.TotpProperties;

import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Shows freshly issued recovery codes once, offers them as a text file, and forgets them
 * when the person confirms they are saved. Fully signed-in sessions only (a password-only
 * session never reaches this).
 */
@Controller
class RecoveryCodesController {

	private final TotpProperties totp;

	private final RecoveryCodes recoveryCodes;

	private final IssuedRecoveryCodes issued;

	RecoveryCodesController(TotpProperties totp, RecoveryCodes recoveryCodes, IssuedRecoveryCodes issued) {
		this.totp = totp;
		this.recoveryCodes = recoveryCodes;
		this.issued = issued;
	}

	@GetMapping("/recovery-codes")
	String show(HttpSession session, @AuthenticationPrincipal AccountPrincipal principal, Model model) {
		Optional<List<String>> codes = this.issued.get(session, principal.accountId());
		if (codes.isEmpty()) {
			return "redirect:/account";
		}
		model.addAttribute("codes", codes.get());
		model.addAttribute("allCodes", String.join("\n", codes.get()));
		model.addAttribute("fileName", fileName(principal));
		return "recovery-codes";
	}

	@GetMapping(path = "/recovery-codes/download", produces = MediaType.TEXT_PLAIN_VALUE)
	ResponseEntity<byte[]> download(HttpSession session, @AuthenticationPrincipal AccountPrincipal principal) {
		Optional<List<String>> codes = this.issued.get(session, principal.accountId());
		if (codes.isEmpty()) {
			return ResponseEntity.notFound().cacheControl(CacheControl.noStore()).build();
		}
		String text = "Recovery codes for " + principal.getUsername() + " at " + this.totp.issuer() + "\n"
				+ "Each code signs you in once, instead of a code from your authenticator app.\n\n"
				+ String.join("\n", codes.get()) + "\n";
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(fileName(principal)).build().toString())
			.contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
			.body(text.getBytes(StandardCharsets.UTF_8));
	}

	@PostMapping("/recovery-codes/saved")
	String saved(HttpSession session, @AuthenticationPrincipal AccountPrincipal principal,
			RedirectAttributes redirect) {
		String returnTo = this.issued.returnTo(session);
		if (this.issued.get(session, principal.accountId()).isPresent()) {
			this.recoveryCodes.confirmedSaved(principal.accountId());
		}
		this.issued.forget(session);
		redirect.addFlashAttribute("info", "/".equals(returnTo) ? "recovery.saved" : "recovery.savedAgain");
		// Back to a section of the account page: the message goes inside it, in view.
		int hash = returnTo.indexOf('#');
		if (hash >= 0) {
			redirect.addFlashAttribute("messageSection", returnTo.substring(hash + 1));
		}
		return "redirect:" + returnTo;
	}

	/**
	 * Named after the site and the account ({@code totp-login-recovery-codes-alice.txt}),
	 * so that the file says whose codes, for which site, it holds.
	 */
	String fileName(AccountPrincipal principal) {
		String site = this.totp.issuer().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
		String user = principal.getUsername().replaceAll("[^A-Za-z0-9._-]", "_");
		return site + "-recovery-codes-" + user + ".txt";
	}

}
