package dev.totplogin.settings;

import dev.totplogin.audit.AuditLog;
import dev.totplogin.security.AccountPrincipal;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The account's whole security history, a page at a time, newest first
 * ({@code /account/events?before=…}).
 */
@Controller
class AccountHistoryController {

	private static final int LINES_PER_PAGE = 50;

	private final AuditLog audit;

	AccountHistoryController(AuditLog audit) {
		this.audit = audit;
	}

	@GetMapping("/account/events")
	String history(@AuthenticationPrincipal AccountPrincipal principal, @RequestParam(required = false) Long before,
			Model model) {
		model.addAttribute("events", this.audit.history(principal.accountId(), before, LINES_PER_PAGE));
		return "account-events";
	}

}
