package dev.totplogin.mail;

import java.util.Map;
import java.util.Optional;

import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.ClientInfo;
import dev.totplogin.audit.SecurityEventRecorded;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.recovery.RecoveryCodes;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SignInState;

import org.springframework.context.event.EventListener;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Tells the owner, at their verified address, about the security events they should know
 * of (ASVS 5.0 6.3.7): each mail says what happened, when, from which IP address and
 * browser, with a link to the account page, and never holds a password, code or secret.
 * Written in the transaction that records the event.
 */
@Component
class SecurityNotifications {

	private final AccountRepository accounts;

	private final RecoveryCodes recoveryCodes;

	private final Mailer mailer;

	private final MailProperties properties;

	SecurityNotifications(AccountRepository accounts, RecoveryCodes recoveryCodes, Mailer mailer,
			MailProperties properties) {
		this.accounts = accounts;
		this.recoveryCodes = recoveryCodes;
		this.mailer = mailer;
		this.properties = properties;
	}

	@EventListener
	void onSecurityEvent(SecurityEventRecorded event) {
		if (!this.properties.enabled() || event.accountId() == null) {
			return;
		}
		kindOf(event)
			.ifPresent((kind) -> this.accounts.findById(event.accountId())
				.flatMap((account) -> account.verifiedEmail())
				.ifPresent((address) -> this.mailer.notice(event.accountId(), address, kind, event.occurredAt(),
						new ClientInfo(event.ipAddress(), event.userAgent()),
						(event.type() == SecurityEventType.RECOVERY_CODE_USED)
								? Map.of("codesLeft", this.recoveryCodes.remaining(event.accountId()).left())
								: Map.of())));
	}

	/**
	 * The second factor locked (5 wrong codes by default): after a right password, the
	 * sign that the password has leaked (ASVS 5.0 6.3.4), and the mail says so. Without a
	 * password step (the codes came with a reset link), it says the mailbox may be read
	 * by someone else; after passkey attempts without a password, that the password was
	 * not used.
	 */
	private static String secondFactorLocked(long accountId) {
		Authentication session = SecurityContextHolder.getContext().getAuthentication();
		boolean passwordOfThisAccount = Factors.hasPassword(session)
				&& session.getPrincipal() instanceof AccountPrincipal principal && principal.accountId() == accountId;
		if (passwordOfThisAccount) {
			return "second-factor-locked";
		}
		return SignInState.isPasskeyAttempt() ? "second-factor-locked-passkey" : "second-factor-locked-link";
	}

	/**
	 * The mail names the lock lifted: the detail starts with what
	 * {@code admin.AccountAdministration.Locks} unlocked.
	 */
	private static String adminUnlocked(String detail) {
		if (detail == null || detail.startsWith("password and second factor")) {
			return "admin-unlocked";
		}
		if (detail.startsWith("password")) {
			return "admin-unlocked-password";
		}
		return detail.startsWith("second factor") ? "admin-unlocked-second-factor" : "admin-unlocked";
	}

	private static Optional<String> kindOf(SecurityEventRecorded event) {
		return Optional.ofNullable(switch (event.type()) {
			case PASSWORD_CHANGED -> "password-changed";
			case PASSWORD_RESET -> "password-reset-done";
			case AUTHENTICATOR_REPLACED -> "new-phone";
			case BROWSER_TRUSTED -> "browser-trusted";
			case SECURITY_KEY_ADDED -> "security-key-added";
			case SECURITY_KEY_REMOVED -> "security-key-removed";
			case RECOVERY_CODES_REGENERATED ->
				RecoveryCodes.FIRST_SET.equals(event.detail()) ? null : "recovery-codes-regenerated";
			case RECOVERY_CODE_USED -> "recovery-code-used";
			case LOCKED -> (event.detail() != null && event.detail().startsWith("second factor"))
					? secondFactorLocked(event.accountId()) : null;
			case ADMIN_RESET -> "operator-reset";
			case ACCOUNT_DISABLED -> "account-disabled";
			case ACCOUNT_ENABLED -> "account-enabled";
			case ADMIN_UNLOCKED -> adminUnlocked(event.detail());
			case ADMIN_SESSIONS_ENDED -> "admin-sessions-ended";
			default -> null;
		});
	}

}
