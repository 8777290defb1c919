package dev.totplogin.admin;

import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.Budget;
import dev.totplogin.recovery.RecoveryCodes;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.AccountSessions;
import dev.totplogin.security.SignInState;
import dev.totplogin.security.StepUp;
import dev.totplogin.securitykey.SecurityKeys;
import dev.totplogin.totp.TotpService;
import dev.totplogin.trustedbrowser.TrustedBrowsers;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Slice;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin console's pages and actions. Who may reach them is {@link AdminGate}'s alone
 * (every {@code /admin} route); what an action does is {@link AccountAdministration}'s,
 * the command line's service. Actions are posted, answered by a redirect to the page the
 * administrator acted on with its message; the destructive ones are asked on a page of
 * their own first.
 */
@Controller
@RequestMapping("/admin")
class AdminController {

	/** Accounts a search page lists. */
	static final int PAGE_SIZE = 20;

	/** The shortest search: a prefix of one character would page through everyone. */
	static final int MIN_SEARCH = 2;

	private final AccountRepository accounts;

	private final AccountAdministration administration;

	private final AdminLog log;

	private final AuditLog audit;

	private final Attempts attempts;

	private final RecoveryCodes recoveryCodes;

	private final SecurityKeys securityKeys;

	private final AccountSessions sessions;

	private final TrustedBrowsers trustedBrowsers;

	private final TotpService totp;

	private final StepUp stepUp;

	private final SignInState signInState;

	private final AdminProperties properties;

	AdminController(AccountRepository accounts, AccountAdministration administration, AdminLog log, AuditLog audit,
			Attempts attempts, RecoveryCodes recoveryCodes, SecurityKeys securityKeys, AccountSessions sessions,
			TrustedBrowsers trustedBrowsers, TotpService totp, StepUp stepUp, SignInState signInState,
			AdminProperties properties) {
		this.accounts = accounts;
		this.administration = administration;
		this.log = log;
		this.audit = audit;
		this.attempts = attempts;
		this.recoveryCodes = recoveryCodes;
		this.securityKeys = securityKeys;
		this.sessions = sessions;
		this.trustedBrowsers = trustedBrowsers;
		this.totp = totp;
		this.stepUp = stepUp;
		this.signInState = signInState;
		this.properties = properties;
	}

	/**
	 * Search by the start of a username or a verified address: a form sent with its
	 * button, one indexed prefix query a page, no count.
	 */
	@GetMapping
	String search(@RequestParam(name = "q", required = false) String query,
			@RequestParam(name = "page", defaultValue = "0") int page, Model model) {
		String prefix = (query != null) ? query.strip().toLowerCase(Locale.ROOT) : "";
		model.addAttribute("q", prefix);
		if (prefix.length() >= MIN_SEARCH && prefix.length() <= 254 && page >= 0) {
			Slice<Account> found = this.accounts.findByUsernameKeyStartingWithOrEmailKeyStartingWithOrderByUsernameKey(
					prefix, prefix, PageRequest.of(page, PAGE_SIZE));
			model.addAttribute("results", found);
		}
		else if (!prefix.isEmpty()) {
			model.addAttribute("alert", "admin.search.tooShort");
		}
		return "admin";
	}

	@GetMapping("/accounts/{id}")
	String account(@PathVariable long id, @RequestParam(name = "before", required = false) Long before,
			HttpServletRequest request, Model model) {
		Optional<Account> found = this.accounts.findById(id);
		if (found.isEmpty()) {
			return "redirect:/admin";
		}
		Account account = found.get();
		model.addAttribute("target", account);
		model.addAttribute("passwordLockedUntil", this.attempts.lockedUntil(id, Budget.PASSWORD).orElse(null));
		model.addAttribute("secondFactorLockedUntil", this.attempts.lockedUntil(id, Budget.SECOND_FACTOR).orElse(null));
		model.addAttribute("codesLeft", this.recoveryCodes.remaining(id).left());
		model.addAttribute("keys", this.securityKeys.of(account.getUsername()));
		model.addAttribute("lastSignIn", this.audit.latest(id, SecurityEventType.SIGNED_IN).orElse(null));
		model.addAttribute("sessions", this.sessions.of(id));
		model.addAttribute("browsers", this.trustedBrowsers.of(id, request));
		model.addAttribute("events", this.audit.history(id, before, 20));
		return "admin-account";
	}

	/** The page that asks before a destructive action. */
	@GetMapping("/accounts/{id}/{action:disable|reset-2fa|end-all-sessions}")
	String confirmAction(@PathVariable long id, @PathVariable String action, Model model) {
		Optional<Account> found = this.accounts.findById(id);
		if (found.isEmpty()) {
			return "redirect:/admin";
		}
		model.addAttribute("target", found.get());
		model.addAttribute("action", action);
		return "admin-action";
	}

	/**
	 * Lifts the password's lock, the second factor's, or both ({@code locks}: password,
	 * second-factor, both; both if absent).
	 */
	@PostMapping("/accounts/{id}/unlock")
	String unlock(@PathVariable long id, @RequestParam(name = "locks", defaultValue = "both") String locks,
			@AuthenticationPrincipal AccountPrincipal admin, RedirectAttributes flash) {
		Optional<AccountAdministration.Locks> which = AccountAdministration.Locks.of(locks);
		if (which.isEmpty()) {
			flash.addFlashAttribute("alert", "admin.unlock.unknown");
			return "redirect:/admin/accounts/" + id;
		}
		return act(id, flash, () -> {
			this.administration.unlock(id, which.get(), actor(admin));
			return "admin.done.unlock." + which.get().name().toLowerCase(Locale.ROOT);
		});
	}

	@PostMapping("/accounts/{id}/disable")
	String disable(@PathVariable long id, @AuthenticationPrincipal AccountPrincipal admin, RedirectAttributes flash) {
		if (id == admin.accountId()) {
			return notOnYourself(id, flash);
		}
		return act(id, flash, () -> this.administration.disable(id, actor(admin)) ? "admin.done.disable"
				: "admin.done.alreadyDisabled");
	}

	@PostMapping("/accounts/{id}/enable")
	String enable(@PathVariable long id, @AuthenticationPrincipal AccountPrincipal admin, RedirectAttributes flash) {
		return act(id, flash,
				() -> this.administration.enable(id, actor(admin)) ? "admin.done.enable" : "admin.done.notDisabled");
	}

	@PostMapping("/accounts/{id}/reset-2fa")
	String resetSecondFactor(@PathVariable long id, @AuthenticationPrincipal AccountPrincipal admin,
			RedirectAttributes flash) {
		if (id == admin.accountId()) {
			return notOnYourself(id, flash);
		}
		return act(id, flash, () -> {
			this.administration.resetSecondFactor(id, actor(admin));
			return "admin.done.reset2fa";
		});
	}

	@PostMapping("/accounts/{id}/send-reset-link")
	String sendResetLink(@PathVariable long id, @AuthenticationPrincipal AccountPrincipal admin,
			RedirectAttributes flash) {
		if (this.accounts.findById(id).isPresent() && !this.administration.sendPasswordResetLink(id, actor(admin))) {
			flash.addFlashAttribute("alert", "admin.done.noResetLink");
			return "redirect:/admin/accounts/" + id;
		}
		return act(id, flash, () -> "admin.done.resetLink");
	}

	@PostMapping("/accounts/{id}/sessions/{ref}/end")
	String endSession(@PathVariable long id, @PathVariable String ref, @AuthenticationPrincipal AccountPrincipal admin,
			RedirectAttributes flash) {
		return act(id, flash, () -> this.administration.endSession(id, ref, actor(admin)) ? "admin.done.endSession"
				: "admin.done.sessionGone");
	}

	@PostMapping("/accounts/{id}/end-all-sessions")
	String endAllSessions(@PathVariable long id, @AuthenticationPrincipal AccountPrincipal admin,
			RedirectAttributes flash) {
		return act(id, flash, () -> {
			this.administration.endAllSessions(id, actor(admin));
			return "admin.done.endAllSessions";
		});
	}

	/** Incident response: the page that asks first. */
	@GetMapping("/end-every-session")
	String confirmEndEverySession() {
		return "admin-end-every-session";
	}

	/**
	 * Every session of every account ends, this one too: the administrator signs in again
	 * like everyone.
	 */
	@PostMapping("/end-every-session")
	String endEverySession(@AuthenticationPrincipal AccountPrincipal admin) {
		this.administration.endEverySession(actor(admin));
		return "redirect:/login";
	}

	@GetMapping("/log")
	String log(@RequestParam(name = "before", required = false) Long before, Model model) {
		model.addAttribute("entries", this.log.page(before));
		model.addAttribute("pageSize", AdminLog.PAGE);
		return "admin-log";
	}

	/**
	 * "Confirm it's you" for the console: a code, or one of the administrator's security
	 * keys or passkeys (the account page's ceremony: {@code /login/webauthn} in a
	 * signed-in session gives the same fresh proof), fresh for
	 * {@code app.admin.fresh-proof}.
	 */
	@GetMapping("/confirm")
	String confirmPage(@AuthenticationPrincipal AccountPrincipal admin, Model model) {
		Authentication current = SecurityContextHolder.getContext().getAuthentication();
		model.addAttribute("securityKeys", this.securityKeys.of(admin.getUsername()));
		model.addAttribute("freshUntil", this.stepUp.freshUntil(current, this.properties.freshProof()).orElse(null));
		model.addAttribute("freshProofMinutes", this.properties.freshProof().toMinutes());
		return "admin-confirm";
	}

	@PostMapping("/confirm")
	String confirm(@RequestParam(name = "code", required = false) String code,
			@AuthenticationPrincipal AccountPrincipal admin, HttpServletRequest request, HttpServletResponse response,
			RedirectAttributes flash) {
		if (code == null || !code.strip().matches("\\d{6}")) {
			flash.addFlashAttribute("alert", "admin.confirm.format");
			return "redirect:/admin/confirm";
		}
		AttemptResult result = this.totp.verify(admin.accountId(), code.strip());
		if (!result.accepted()) {
			flash.addFlashAttribute("alert", result.locked() ? "admin.confirm.locked" : "admin.confirm.wrong");
			return "redirect:/admin/confirm";
		}
		Authentication current = SecurityContextHolder.getContext().getAuthentication();
		this.signInState.confirmed(this.stepUp.confirmedNow(current), request, response);
		flash.addFlashAttribute("info", "admin.confirm.done");
		return "redirect:/admin";
	}

	private String act(long id, RedirectAttributes flash, java.util.function.Supplier<String> action) {
		if (this.accounts.findById(id).isEmpty()) {
			flash.addFlashAttribute("alert", "admin.noSuchAccount");
			return "redirect:/admin";
		}
		flash.addFlashAttribute("info", action.get());
		return "redirect:/admin/accounts/" + id;
	}

	/**
	 * An administrator who disabled their own account, or reset their own second factor,
	 * could lock the last way in: another administrator or the command line does it.
	 */
	private static String notOnYourself(long id, RedirectAttributes flash) {
		flash.addFlashAttribute("alert", "admin.done.notYourself");
		return "redirect:/admin/accounts/" + id;
	}

	private static AccountAdministration.Actor actor(AccountPrincipal admin) {
		return AccountAdministration.Actor.administrator(admin.accountId());
	}

}
