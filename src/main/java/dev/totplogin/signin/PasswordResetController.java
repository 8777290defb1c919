package dev.totplogin.signin;

import java.time.Clock;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.validation.Valid;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.account.AccountService;
import dev.totplogin.account.AccountTokens;
import dev.totplogin.account.AccountTokens.Purpose;
import dev.totplogin.account.HashedPassword;
import dev.totplogin.account.NewPasswordValidator;
import dev.totplogin.account.PasswordPolicy;
import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.security.Factors;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.StringUtils;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The reset link's page. The token moves from the URL into the session at once (no token
 * left in the address bar or the history), under a new session id, so that a session id
 * planted in the browser beforehand never sees the form; an invalid link, or the page
 * without one, stores no session at all. The new password is set only with the second
 * factor of an enrolled account: a current code (replay-protected, counted towards the
 * same lockout as sign-in) or a recovery code (used up). A reset never signs anyone in
 * (ASVS 5.0 6.4.3): the person signs in with the new password and a code.
 */
@Controller
@ConditionalOnProperty(name = "app.mail.enabled", matchIfMissing = true)
class PasswordResetController {

	private static final String VIEW = "password-reset";

	private static final String INVALID = "password-reset-invalid";

	private static final String TOKEN = PasswordResetController.class.getName() + ".token";

	private final AccountTokens tokens;

	private final AccountRepository accounts;

	private final PasswordResets resets;

	private final PasswordPolicy passwordPolicy;

	private final SecondFactors secondFactors;

	private final Clock clock;

	private final AccountService accountService;

	PasswordResetController(AccountTokens tokens, AccountRepository accounts, PasswordResets resets,
			PasswordPolicy passwordPolicy, SecondFactors secondFactors, AccountService accountService, Clock clock) {
		this.accountService = accountService;
		this.tokens = tokens;
		this.accounts = accounts;
		this.resets = resets;
		this.passwordPolicy = passwordPolicy;
		this.secondFactors = secondFactors;
		this.clock = clock;
	}

	/** The new password must not contain the username of the account the link is for. */
	@InitBinder("passwordResetForm")
	void bindPasswordRules(WebDataBinder binder, HttpServletRequest request) {
		String username = token(request.getSession(false)).flatMap((token) -> this.accounts.findById(token.accountId()))
			.map(Account::getUsername)
			.orElse(null);
		binder.addValidators(new NewPasswordValidator<>(this.passwordPolicy, PasswordResetForm.class, "newPassword",
				PasswordResetForm::newPassword, PasswordResetForm::confirmPassword, (form) -> username));
	}

	@GetMapping(path = "/password/reset", params = "token")
	String followLink(@RequestParam String token, HttpServletRequest request) {
		Optional<AccountTokens.Token> found = this.tokens.find(token, Purpose.RESET_PASSWORD).filter(this::usable);
		if (found.isEmpty()) {
			return INVALID;
		}
		// A session from before the link (perhaps planted by someone who kept its id)
		// goes on under a new id; a new one is created only now that the link is good.
		if (request.getSession(false) != null) {
			request.changeSessionId();
		}
		// Only the token's row: the token itself is in no session row either.
		request.getSession().setAttribute(TOKEN, found.get().id());
		return "redirect:/password/reset";
	}

	@GetMapping(path = "/password/reset", params = "!token")
	String form(HttpServletRequest request, Model model) {
		Optional<AccountTokens.Token> token = token(request.getSession(false));
		if (token.isEmpty()) {
			return INVALID;
		}
		model.addAttribute("passwordResetForm", PasswordResetForm.empty());
		return render(token.get(), model);
	}

	@PostMapping("/password/reset")
	String reset(@Valid @ModelAttribute PasswordResetForm passwordResetForm, BindingResult result,
			HttpServletRequest request, Model model, RedirectAttributes redirect) {
		HttpSession session = request.getSession(false);
		Optional<AccountTokens.Token> token = token(session);
		if (token.isEmpty()) {
			return INVALID;
		}
		Account account = this.accounts.findById(token.get().accountId()).orElseThrow();
		if (account.isTotpEnabled() && !result.hasErrors() && !secondFactorProven(account, passwordResetForm, result)) {
			return render(token.get(), model);
		}
		if (result.hasErrors()) {
			// Every empty field is marked at once, the code too.
			if (account.isTotpEnabled() && !result.hasFieldErrors("code")
					&& !StringUtils.hasText(passwordResetForm.code())) {
				result.rejectValue("code", "codeOrRecovery.required");
			}
			return render(token.get(), model);
		}
		// Hashed before the reset's transaction opens.
		HashedPassword newPassword = this.accountService.hash(passwordResetForm.newPassword());
		if (!this.resets.reset(token.get(), newPassword)) {
			return INVALID;
		}
		session.removeAttribute(TOKEN);
		redirect.addFlashAttribute("info", "password.reset.done");
		return "redirect:/login";
	}

	private boolean secondFactorProven(Account account, PasswordResetForm form, BindingResult result) {
		if (form.code() == null || form.code().isBlank()) {
			result.rejectValue("code", "codeOrRecovery.required");
			return false;
		}
		// A code from the app, or one recovery code (the phone may be gone with the
		// password).
		AttemptResult attempt = this.secondFactors.check(account.getId(), form.code());
		if (!attempt.accepted()) {
			AttemptMessages.rejectCode(result, "code", attempt, this.clock,
					Factors.TOTP.equals(SecondFactors.factorOf(form.code())) ? AttemptMessages.Typed.CODE
							: AttemptMessages.Typed.RECOVERY_CODE);
		}
		return attempt.accepted();
	}

	private String render(AccountTokens.Token token, Model model) {
		Account account = this.accounts.findById(token.accountId()).orElseThrow();
		model.addAttribute("codeRequired", account.isTotpEnabled());
		model.addAttribute("username", account.getUsername());
		return VIEW;
	}

	private Optional<AccountTokens.Token> token(HttpSession session) {
		return (session != null && session.getAttribute(TOKEN) instanceof Long id)
				? this.tokens.find(id.longValue(), Purpose.RESET_PASSWORD).filter(this::usable) : Optional.empty();
	}

	/**
	 * Not for an account whose second factor an operator removed: the mailbox alone would
	 * do.
	 */
	private boolean usable(AccountTokens.Token token) {
		Account account = this.accounts.findById(token.accountId()).orElseThrow();
		// A disabled account's link is an invalid link, as after a reset.
		return !account.isDisabled() && !this.resets.mailboxAloneWouldDo(account);
	}

}
