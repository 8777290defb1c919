package dev.totplogin.web;

import jakarta.servlet.http.HttpSession;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.account.AccountTokens;
import dev.totplogin.mail.MailProperties;
import dev.totplogin.recovery.IssuedRecoveryCodes;
import dev.totplogin.recovery.RecoveryCodes;
import dev.totplogin.security.AccountPrincipal;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The home page of a fully signed-in person. */
@Controller
class HomeController {

	private final AccountRepository accounts;

	private final RecoveryCodes recoveryCodes;

	private final IssuedRecoveryCodes issuedRecoveryCodes;

	private final AccountTokens tokens;

	private final MailProperties mail;

	HomeController(AccountRepository accounts, RecoveryCodes recoveryCodes, IssuedRecoveryCodes issuedRecoveryCodes,
			AccountTokens tokens, MailProperties mail) {
		this.accounts = accounts;
		this.recoveryCodes = recoveryCodes;
		this.issuedRecoveryCodes = issuedRecoveryCodes;
		this.tokens = tokens;
		this.mail = mail;
	}

	@GetMapping("/")
	String home(@AuthenticationPrincipal AccountPrincipal principal, Model model, HttpSession session) {
		Account account = this.accounts.findById(principal.accountId()).orElseThrow();
		model.addAttribute("account", account);
		model.addAttribute("recoveryCodes", this.recoveryCodes.remaining(principal.accountId()));
		model.addAttribute("codesWaiting", this.issuedRecoveryCodes.waiting(session));
		// A reminder of an address waiting for its link: until then, no reset by mail.
		model.addAttribute("pendingEmail",
				this.mail.enabled() ? this.tokens.pendingEmail(principal.accountId()).orElse(null) : null);
		return "home";
	}

}
