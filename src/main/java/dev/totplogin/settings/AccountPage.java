package dev.totplogin.settings;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.servlet.http.HttpServletRequest;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountProperties;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.mail.EmailAddresses;
import dev.totplogin.recovery.RecoveryCodes;
import dev.totplogin.oidc.SignedInApplications;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.AccountSessions;
import dev.totplogin.security.Factors;
import dev.totplogin.security.StepUp;
import dev.totplogin.securitykey.SecurityKeyNames;
import dev.totplogin.securitykey.SecurityKeys;
import dev.totplogin.trustedbrowser.TrustedBrowsers;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * The account page's model: status, the newest events (repeats grouped), the address, the
 * signed-in sessions and trusted browsers, whether this session has fresh proof, and
 * every action's form (a form that failed keeps its values and errors).
 */
@Component
class AccountPage {

	private static final String VIEW = "account";

	private static final int EVENTS_SHOWN = 20;

	private final AccountRepository accounts;

	private final RecoveryCodes recoveryCodes;

	private final AuditLog audit;

	private final EmailAddresses addresses;

	private final AccountSessions sessions;

	private final TrustedBrowsers trustedBrowsers;

	private final StepUp stepUp;

	private final SecurityKeys securityKeys;

	private final SignedInApplications applications;

	private final AccountProperties accountProperties;

	AccountPage(AccountRepository accounts, RecoveryCodes recoveryCodes, AuditLog audit, EmailAddresses addresses,
			AccountSessions sessions, TrustedBrowsers trustedBrowsers, StepUp stepUp, SecurityKeys securityKeys,
			SignedInApplications applications, AccountProperties accountProperties) {
		this.accountProperties = accountProperties;
		this.applications = applications;
		this.accounts = accounts;
		this.recoveryCodes = recoveryCodes;
		this.audit = audit;
		this.addresses = addresses;
		this.sessions = sessions;
		this.trustedBrowsers = trustedBrowsers;
		this.stepUp = stepUp;
		this.securityKeys = securityKeys;
	}

	/**
	 * @param request for this browser's trust
	 */
	String render(AccountPrincipal principal, Model model, HttpServletRequest request) {
		Account account = this.accounts.findById(principal.accountId()).orElseThrow();
		model.addAttribute("account", account);
		model.addAttribute("pendingEmail", this.addresses.pending(principal.accountId()).orElse(null));
		model.addAttribute("recoveryCodes", this.recoveryCodes.remaining(principal.accountId()));
		model.addAttribute("events", this.audit.history(principal.accountId(), null, EVENTS_SHOWN));
		// The sign-in before this session's: the newest SIGNED_IN (every way of signing
		// in records one) before this session's password step. So not this sign-in, not
		// a sign-in elsewhere since (the sessions list shows those), and not a code
		// confirmed on this page, in this session or an earlier one.
		// To the millisecond: the event of this sign-in is stored at the database's
		// precision (microseconds, rounded), which may put it just before the clock's
		// nanoseconds.
		Authentication current = SecurityContextHolder.getContext().getAuthentication();
		// The password step, not the earlier code a trusted browser stands in for: the
		// sign-ins between the two are not this one.
		Instant thisSignIn = Factors.issuedAt(current, Factors.PASSWORD)
			.or(() -> Factors.signInStartedAt(current))
			.map((issued) -> issued.truncatedTo(ChronoUnit.MILLIS))
			.orElse(Instant.MAX);
		model.addAttribute("lastSignIn",
				this.audit.latestBefore(principal.accountId(), thisSignIn, SecurityEventType.SIGNED_IN).orElse(null));
		model.addAttribute("freshUntil",
				this.stepUp
					.freshUntil(SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication())
					.orElse(null));
		model.addAttribute("sessions", this.sessions.of(principal.accountId()));
		model.addAttribute("trustedBrowsers", this.trustedBrowsers.of(principal.accountId(), request));
		model.addAttribute("securityKeys", this.securityKeys.of(principal.getUsername()));
		model.addAttribute("applications", this.applications.of(principal.accountId()));
		model.addAttribute("securityKeyNameLength", SecurityKeyNames.MAX_LENGTH);
		addIfAbsent(model, "changePasswordForm", ChangePasswordForm.empty());
		addIfAbsent(model, "confirmForm", ConfirmForm.empty());
		addIfAbsent(model, "recoveryCodesForm", ConfirmForm.empty());
		addIfAbsent(model, "newPhoneForm", NewPhoneForm.empty());
		addIfAbsent(model, "sessionsForm", ConfirmForm.empty());
		addIfAbsent(model, "changeEmailForm", ChangeEmailForm.empty());
		addIfAbsent(model, "deleteAccountForm", DeleteAccountForm.empty());
		model.addAttribute("usernameQuarantineDays", this.accountProperties.deletedUsernameQuarantine().toDays());
		return VIEW;
	}

	private static void addIfAbsent(Model model, String name, Object form) {
		if (!model.containsAttribute(name)) {
			model.addAttribute(name, form);
		}
	}

}
