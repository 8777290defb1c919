package dev.totplogin.settings;

import java.time.Clock;
import java.util.Optional;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.account.AccountService;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.mail.EmailAddresses;
import dev.totplogin.mail.Mailer;
import dev.totplogin.oidc.SignedInApplications;
import dev.totplogin.security.AccountSessions;
import dev.totplogin.securitykey.SecurityKeys;
import dev.totplogin.signin.PasswordResets;
import dev.totplogin.totp.TotpService;
import dev.totplogin.trustedbrowser.TrustedBrowsers;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * "Delete my account", in one transaction: what every package keeps of the account goes,
 * then the account's row (with what the schema deletes with it), its username held for
 * the quarantine; one pseudonymous audit line stays, and the goodbye mail is written to
 * the outbox, to be sent after the commit. The administrators' log keeps the account's id
 * (ids only, never a name) on purpose: it is their record of what they did. Every session
 * of the account, on every instance, ends at its next request (its row is gone); the
 * applications it signed in to are told by the back-channel logouts queued here, which
 * carry the {@code sub} the account will no longer have. {@code AccountDeletionTests}
 * checks every table of the schema for what is left, so that a new table cannot be
 * forgotten here.
 */
@Service
class AccountDeletion {

	private final AccountRepository accounts;

	private final AccountService accountService;

	private final SignedInApplications applications;

	private final SecurityKeys securityKeys;

	private final TrustedBrowsers trustedBrowsers;

	private final AccountSessions sessions;

	private final TotpService totp;

	private final Mailer mailer;

	private final EmailAddresses addresses;

	private final PasswordResets resets;

	private final AuditLog audit;

	private final Clock clock;

	AccountDeletion(AccountRepository accounts, AccountService accountService, SignedInApplications applications,
			SecurityKeys securityKeys, TrustedBrowsers trustedBrowsers, AccountSessions sessions, TotpService totp,
			Mailer mailer, EmailAddresses addresses, PasswordResets resets, AuditLog audit, Clock clock) {
		this.accounts = accounts;
		this.accountService = accountService;
		this.applications = applications;
		this.securityKeys = securityKeys;
		this.trustedBrowsers = trustedBrowsers;
		this.sessions = sessions;
		this.totp = totp;
		this.mailer = mailer;
		this.addresses = addresses;
		this.resets = resets;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Deletes the account; the caller has checked the password and fresh proof.
	 * @return whether it was there to delete
	 */
	@Transactional
	public boolean delete(long accountId) {
		Optional<Account> found = this.accounts.findById(accountId);
		if (found.isEmpty()) {
			return false;
		}
		Account account = found.get();
		String username = account.getUsername();
		Optional<String> verified = account.verifiedEmail();
		// First what points at the account's sessions and name, while they are there.
		this.applications.forgetAccount(accountId, username);
		this.securityKeys.forgetAll(username);
		this.trustedBrowsers.forgetAll(accountId);
		this.sessions.forgetAll(accountId, username);
		this.totp.forget(accountId);
		// Its messages to any address it had or asked for, and the reset requests for its
		// addresses still waiting (their data holds the address).
		this.mailer.forgetMailOf(accountId, account.getEmail());
		Optional.ofNullable(account.getEmail()).ifPresent((address) -> forgetResetRequests(accountId, address));
		this.addresses.pending(accountId).ifPresent((address) -> forgetResetRequests(accountId, address));
		this.audit.accountDeleted(accountId);
		this.accountService.delete(accountId);
		verified.ifPresent((address) -> this.mailer.farewell(address, this.clock.instant()));
		return true;
	}

	/**
	 * Not those for an address another account has verified: they are that account's
	 * owner's (a pending address can be one, see {@code EmailAddresses}).
	 */
	private void forgetResetRequests(long accountId, String address) {
		if (this.accounts.findByEmailKey(Account.emailKeyOf(address))
			.filter((owner) -> owner.getId() != accountId)
			.isEmpty()) {
			this.resets.forgetRequestsFor(address);
		}
	}

}
