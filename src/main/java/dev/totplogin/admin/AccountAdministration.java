package dev.totplogin.admin;

import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.account.AccountTokens;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.Budget;
import dev.totplogin.recovery.RecoveryCodes;
import dev.totplogin.security.AccountSessions;
import dev.totplogin.signin.PasswordResets;
import dev.totplogin.totp.TotpService;
import dev.totplogin.trustedbrowser.TrustedBrowsers;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What an administrator can do to accounts, one method each, shared by the console and
 * the operator's command line so the two cannot drift. Each action is one transaction
 * that changes the account, records it on the account ("by an administrator", or "from
 * the command line": the account's owner sees no administrator's name) with the mail the
 * event sends to a verified address, and writes the admin log's line (which names the
 * administrator). None shows or takes a secret, a code or a password.
 */
@Service
public class AccountAdministration {

	private final AccountRepository accounts;

	private final TotpService totp;

	private final RecoveryCodes recoveryCodes;

	private final Attempts attempts;

	private final AuditLog audit;

	private final AccountTokens tokens;

	private final AccountSessions sessions;

	private final TrustedBrowsers trustedBrowsers;

	private final PasswordResets resets;

	private final AdminLog log;

	private final Clock clock;

	AccountAdministration(AccountRepository accounts, TotpService totp, RecoveryCodes recoveryCodes, Attempts attempts,
			AuditLog audit, AccountTokens tokens, AccountSessions sessions, TrustedBrowsers trustedBrowsers,
			PasswordResets resets, AdminLog log, Clock clock) {
		this.accounts = accounts;
		this.totp = totp;
		this.recoveryCodes = recoveryCodes;
		this.attempts = attempts;
		this.audit = audit;
		this.tokens = tokens;
		this.sessions = sessions;
		this.trustedBrowsers = trustedBrowsers;
		this.resets = resets;
		this.log = log;
		this.clock = clock;
	}

	/**
	 * Who acts: an administrator signed in to the console, or the operator at the command
	 * line.
	 *
	 * @param adminId the administrator's account, or null for the command line
	 * @param how what the account's history says: never the administrator's name
	 */
	public record Actor(Long adminId, String how) {

		public static final Actor COMMAND_LINE = new Actor(null, "from the command line");

		public static Actor administrator(long adminId) {
			return new Actor(adminId, "by an administrator");
		}

	}

	public Optional<Account> find(String username) {
		return this.accounts.findByUsernameKey(Account.keyOf(username));
	}

	/**
	 * Grants the role ADMIN (the command line only).
	 * @return false if the account had it already
	 */
	@Transactional
	public boolean grantAdmin(long accountId) {
		return role(accountId, true, SecurityEventType.ADMIN_ROLE_GRANTED, "grant-admin");
	}

	/**
	 * Revokes the role ADMIN (the command line only): the console refuses the account at
	 * its next request, the role being read from the row at each one.
	 * @return false if the account did not have it
	 */
	@Transactional
	public boolean revokeAdmin(long accountId) {
		return role(accountId, false, SecurityEventType.ADMIN_ROLE_REVOKED, "revoke-admin");
	}

	private boolean role(long accountId, boolean admin, SecurityEventType event, String action) {
		if (this.accounts.setAdmin(accountId, admin) == 0) {
			return false;
		}
		this.audit.record(accountId, event, Actor.COMMAND_LINE.how());
		this.log.record(null, action, accountId, null);
		return true;
	}

	/**
	 * The person lost their phone and every recovery code: removes the authenticator and
	 * recovery codes (and, on the event, the security keys and trusted browsers), lifts
	 * the locks, voids unused links, ends the sessions. They enroll again after their
	 * next password.
	 */
	@Transactional
	public void resetSecondFactor(long accountId, Actor actor) {
		this.totp.reset(accountId);
		this.recoveryCodes.deleteAll(accountId);
		this.attempts.clear(accountId);
		// A reset link sent before now would, with no second factor left, be the mailbox
		// alone.
		this.tokens.voidAll(accountId);
		this.accounts.advanceSessionEpoch(accountId);
		this.sessions.endAll(accountId);
		this.audit.record(accountId, SecurityEventType.ADMIN_RESET, "second factor reset " + actor.how());
		this.log.record(actor.adminId(), "reset-2fa", accountId, null);
	}

	/**
	 * Which locks an unlock lifts: the password's, the second factor's, or both. Lifting
	 * only the second factor's keeps a password that is being guessed locked; lifting
	 * only the password's keeps a leaked password's owner behind the code.
	 */
	public enum Locks {

		PASSWORD("password", Budget.PASSWORD), SECOND_FACTOR("second factor", Budget.SECOND_FACTOR),
		BOTH("password and second factor", Budget.PASSWORD, Budget.SECOND_FACTOR);

		private final String detail;

		private final Set<Budget> budgets;

		Locks(String detail, Budget... budgets) {
			this.detail = detail;
			this.budgets = Set.of(budgets);
		}

		/** What the account's history and the admin log say was unlocked. */
		public String detail() {
			return this.detail;
		}

		/** The form's value: {@code password}, {@code second-factor} or {@code both}. */
		public static Optional<Locks> of(String value) {
			return Arrays.stream(values())
				.filter((locks) -> locks.name().replace('_', '-').equalsIgnoreCase(value))
				.findFirst();
		}

	}

	/**
	 * Lifts the chosen locks (and forgets their failures); the account's history says
	 * which, and the mail the event sends too.
	 */
	@Transactional
	public void unlock(long accountId, Locks locks, Actor actor) {
		locks.budgets.forEach((budget) -> this.attempts.clear(accountId, budget));
		this.audit.record(accountId, SecurityEventType.ADMIN_UNLOCKED, locks.detail() + " " + actor.how());
		this.log.record(actor.adminId(), "unlock", accountId, locks.detail());
	}

	/**
	 * Disables the account (ASVS 5.0 7.4.2): in one transaction, every session ends (the
	 * epoch raised and the rows gone, so on every instance at its next request), every
	 * trusted browser is forgotten (on the event), unused links are voided, and every
	 * OpenID Connect grant ends (on the event, {@code oidc.SignedInApplications}: refresh
	 * tokens and codes refused at once, back-channel logouts queued). Sign-in is refused
	 * with the ordinary wrong-password answer until it is enabled again.
	 * @return false if it was disabled already
	 */
	@Transactional
	public boolean disable(long accountId, Actor actor) {
		if (this.accounts.disable(accountId, this.clock.instant()) == 0) {
			return false;
		}
		this.sessions.endAll(accountId);
		this.tokens.voidAll(accountId);
		this.audit.record(accountId, SecurityEventType.ACCOUNT_DISABLED, actor.how());
		this.log.record(actor.adminId(), "disable", accountId, null);
		return true;
	}

	/**
	 * @return false if it was not disabled
	 */
	@Transactional
	public boolean enable(long accountId, Actor actor) {
		if (this.accounts.enable(accountId) == 0) {
			return false;
		}
		this.audit.record(accountId, SecurityEventType.ACCOUNT_ENABLED, actor.how());
		this.log.record(actor.adminId(), "enable", accountId, null);
		return true;
	}

	/**
	 * Sends a password-reset link to the verified address (ASVS 5.0 6.4.6: the
	 * administrator never learns a password); the reset still asks for the second factor.
	 * @return false if none was sent (no verified address, disabled, or the link alone
	 * would open the account)
	 */
	@Transactional
	public boolean sendPasswordResetLink(long accountId, Actor actor) {
		if (!this.resets.sendLinkFor(accountId)) {
			return false;
		}
		this.audit.record(accountId, SecurityEventType.ADMIN_RESET_LINK_SENT, actor.how());
		this.log.record(actor.adminId(), "send-reset-link", accountId, null);
		return true;
	}

	/**
	 * Ends one session of the account, and forgets the trusted browser it was on.
	 * @return false if the account has no such session
	 */
	@Transactional
	public boolean endSession(long accountId, String ref, Actor actor) {
		Optional<AccountSessions.Ended> ended = this.sessions.end(accountId, ref);
		if (ended.isEmpty()) {
			return false;
		}
		Optional.ofNullable(ended.get().trustedBrowserId())
			.ifPresent((browser) -> this.trustedBrowsers.forgetWithItsSession(accountId, browser));
		this.audit.record(accountId, SecurityEventType.ADMIN_SESSIONS_ENDED, "one session " + actor.how());
		this.log.record(actor.adminId(), "end-session", accountId, null);
		return true;
	}

	/**
	 * Ends every session of the account (ASVS 5.0 7.4.5), and forgets its trusted
	 * browsers (on the event), as "sign out everywhere" does.
	 */
	@Transactional
	public void endAllSessions(long accountId, Actor actor) {
		this.accounts.advanceSessionEpoch(accountId);
		this.sessions.endAll(accountId);
		this.audit.record(accountId, SecurityEventType.ADMIN_SESSIONS_ENDED, SecurityEventType.ALL_SESSIONS);
		this.log.record(actor.adminId(), "end-all-sessions", accountId, null);
	}

	/**
	 * Incident response: ends every session of every account at once, the administrator's
	 * own too, and forgets every trusted browser (a stolen password with a trusted
	 * browser's cookie would otherwise sign straight back in). Recorded in the admin log
	 * (not on each account, and no mail to everyone).
	 * @return how many signed-in sessions there were
	 */
	@Transactional
	public int endEverySession(Actor actor) {
		this.accounts.advanceEverySessionEpoch();
		int ended = this.sessions.endEverySession();
		int browsers = this.trustedBrowsers.forgetEvery();
		this.log.record(actor.adminId(), "end-every-session", null,
				ended + " sessions, " + browsers + " trusted browsers");
		return ended;
	}

}
