package dev.totplogin.mail;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.account.AccountTokens.Purpose;
import dev.totplogin.account.AccountTokens;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.ClientInfo;
import dev.totplogin.audit.SecurityEventType;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An account's email address: added at sign-up or changed on the account page, used only
 * once verified through a link sent to it (the old address stays in use until then), and
 * one verified address belongs to one account. Whether an address is already taken never
 * shows in an answer: its owner gets a notice instead.
 */
@Service
public class EmailAddresses {

	private final AccountRepository accounts;

	private final AccountTokens tokens;

	private final Mailer mailer;

	private final SiteProperties site;

	private final AuditLog audit;

	private final Clock clock;

	EmailAddresses(AccountRepository accounts, AccountTokens tokens, Mailer mailer, SiteProperties site, AuditLog audit,
			Clock clock) {
		this.accounts = accounts;
		this.tokens = tokens;
		this.mailer = mailer;
		this.site = site;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * The address typed at sign-up: kept unverified and sent its link; if another account
	 * has verified it, that account's owner gets a notice instead and the new account
	 * keeps no address.
	 */
	@Transactional
	public void addedAtRegistration(long accountId, String email) {
		Optional<Account> owner = this.accounts.findByEmailKey(Account.emailKeyOf(email));
		if (owner.isPresent()) {
			waitAsIfSent(accountId, owner.get(), email);
			return;
		}
		this.accounts.setUnverifiedEmail(accountId, email);
		this.audit.record(accountId, SecurityEventType.EMAIL_ADDED);
		sendVerification(accountId, email);
	}

	/**
	 * A new address from the account page (after fresh proof): the link goes to it, the
	 * current verified address gets a notice and stays in use until the new one is
	 * confirmed. The notice goes out whether or not another account has the new address:
	 * sent only for a free one, it would tell the requester which addresses have
	 * accounts.
	 */
	@Transactional
	public void changeRequested(long accountId, String email) {
		Account account = this.accounts.findById(accountId).orElseThrow();
		account.verifiedEmail().ifPresent((current) -> notice(accountId, current, "email-change-requested"));
		Optional<Account> owner = this.accounts.findByEmailKey(Account.emailKeyOf(email));
		if (owner.isPresent() && owner.get().getId() != accountId) {
			waitAsIfSent(accountId, owner.get(), email);
			return;
		}
		if (!account.isEmailVerified()) {
			this.accounts.setUnverifiedEmail(accountId, email);
		}
		this.audit.record(accountId, SecurityEventType.EMAIL_ADDED);
		sendVerification(accountId, email);
	}

	/**
	 * Sends the waiting verification again, with a new link; false if none is waiting.
	 */
	@Transactional
	public boolean resend(long accountId) {
		Optional<String> pending = this.tokens.pendingEmail(accountId);
		pending.ifPresent((email) -> this.accounts.findByEmailKey(Account.emailKeyOf(email))
			.filter((owner) -> owner.getId() != accountId)
			.ifPresentOrElse((owner) -> waitAsIfSent(accountId, owner, email),
					() -> sendVerification(accountId, email)));
		return pending.isPresent();
	}

	/**
	 * An address another account has verified: this account's pages show it waiting for
	 * confirmation exactly as if a link had gone out (a token is issued, never mailed, so
	 * it can never be used), and its owner gets a notice.
	 */
	private void waitAsIfSent(long accountId, Account owner, String email) {
		this.tokens.issue(accountId, Purpose.VERIFY_EMAIL, email);
		notice(owner.getId(), owner.getEmail(), "email-in-use");
	}

	/** The address waiting for its confirmation, if one is. */
	public Optional<String> pending(long accountId) {
		return this.tokens.pendingEmail(accountId);
	}

	/**
	 * Confirms the address the token was sent to.
	 * @return the account, if the token was good and the address is now its verified one
	 */
	@Transactional
	public Optional<Long> verify(String token) {
		Optional<AccountTokens.Token> found = this.tokens.find(token, Purpose.VERIFY_EMAIL);
		if (found.isEmpty() || !this.tokens.use(found.get())) {
			return Optional.empty();
		}
		long accountId = found.get().accountId();
		Optional<String> previous = this.accounts.findById(accountId).orElseThrow().verifiedEmail();
		String email = found.get().email();
		if (this.accounts.findByEmailKey(Account.emailKeyOf(email))
			.filter((owner) -> owner.getId() != accountId)
			.isPresent()) {
			return Optional.empty();
		}
		try {
			this.accounts.verifyEmail(accountId, email, Account.emailKeyOf(email), this.clock.instant());
		}
		catch (DataIntegrityViolationException ex) {
			// Verified by another account meanwhile: a verified address belongs to one
			// account.
			return Optional.empty();
		}
		this.tokens.voidAll(accountId);
		this.audit.record(accountId, SecurityEventType.EMAIL_VERIFIED);
		previous.filter((old) -> !Account.emailKeyOf(old).equals(Account.emailKeyOf(email))).ifPresent((old) -> {
			this.audit.record(accountId, SecurityEventType.EMAIL_CHANGED);
			notice(accountId, old, "email-changed");
		});
		return Optional.of(accountId);
	}

	private void sendVerification(long accountId, String email) {
		String token = this.tokens.issue(accountId, Purpose.VERIFY_EMAIL, email);
		this.mailer.send(accountId, email, "verify-email", "link", Map.of("link",
				this.site.link("/email/verify?token=" + token), "minutes", Purpose.VERIFY_EMAIL.validity().toHours()));
	}

	private void notice(long accountId, String address, String kind) {
		this.mailer.notice(accountId, address, kind, this.clock.instant(), ClientInfo.current(), Map.of());
	}

}
