package dev.totplogin.web;

import java.time.Clock;

import jakarta.servlet.http.HttpSession;

import dev.totplogin.mail.MailProperties;
import dev.totplogin.recovery.IssuedRecoveryCodes;
import dev.totplogin.security.AccountPrincipal;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The home page of a fully signed-in person. */
@Controller
class HomeController {

	private final JdbcTemplate jdbc;

	private final IssuedRecoveryCodes issuedRecoveryCodes;

	private final MailProperties mail;

	private final Clock clock;

	HomeController(JdbcTemplate jdbc, IssuedRecoveryCodes issuedRecoveryCodes, MailProperties mail, Clock clock) {
		this.jdbc = jdbc;
		this.issuedRecoveryCodes = issuedRecoveryCodes;
		this.mail = mail;
		this.clock = clock;
	}

	@GetMapping("/")
	String home(@AuthenticationPrincipal AccountPrincipal principal, Model model, HttpSession session) {
		// A reminder of an address waiting for its link (until then, no reset by mail):
		// only where mail is on.
		HomeSummary home = HomeSummary.of(this.jdbc, principal.accountId(), this.mail.enabled(), this.clock.instant());
		model.addAttribute("home", home);
		model.addAttribute("recoveryCodes", home.recoveryCodes());
		model.addAttribute("codesWaiting", this.issuedRecoveryCodes.waiting(session));
		model.addAttribute("pendingEmail", home.pendingEmail());
		return "home";
	}

}
