package dev.totplogin.web;

import jakarta.servlet.http.HttpSession;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
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

	HomeController(AccountRepository accounts, RecoveryCodes recoveryCodes, IssuedRecoveryCodes issuedRecoveryCodes) {
		this.accounts = accounts;
		this.recoveryCodes = recoveryCodes;
		this.issuedRecoveryCodes = issuedRecoveryCodes;
	}

	@GetMapping("/")
	String home(@AuthenticationPrincipal AccountPrincipal principal, Model model, HttpSession session) {
		Account account = this.accounts.findById(principal.accountId()).orElseThrow();
		model.addAttribute("account", account);
		model.addAttribute("recoveryCodes", this.recoveryCodes.remaining(principal.accountId()));
		model.addAttribute("codesWaiting", this.issuedRecoveryCodes.waiting(session));
		return "home";
	}

}
