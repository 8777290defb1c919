package dev.totplogin.account;

import java.time.Clock;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class AccountService {

	private final AccountRepository accounts;

	private final PasswordEncoder passwordEncoder;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final AccountTokens tokens;

	private final UsernameQuarantine quarantine;

	AccountService(AccountRepository accounts, PasswordEncoder passwordEncoder, Clock clock,
			ApplicationEventPublisher events, AccountTokens tokens, UsernameQuarantine quarantine) {
		this.tokens = tokens;
		this.quarantine = quarantine;
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Hashes a new password, outside any transaction (the encoder refuses to hash inside
	 * one): call it before the transaction that stores the hash.
	 */
	public HashedPassword hash(String password) {
		return new HashedPassword(this.passwordEncoder.encode(password));
	}

	/**
	 * Creates an account whose second factor is not yet enrolled. The caller hashed the
	 * password first, whatever the answer: a taken name costs as much time as a new one.
	 * @throws UsernameTakenException if the username exists, in any letter case, or
	 * belonged to an account deleted less than
	 * {@code app.account.deleted-username-quarantine} ago
	 */
	@Transactional
	public Account register(String username, HashedPassword password) {
		String hash = password.value();
		String key = Account.keyOf(username);
		if (this.accounts.existsByUsernameKey(key) || this.quarantine.holds(key)) {
			throw new UsernameTakenException();
		}
		Account account;
		try {
			account = this.accounts.saveAndFlush(new Account(username, hash, this.clock.instant()));
		}
		catch (DataIntegrityViolationException ex) {
			// Someone registered the same name between the check and the insert.
			throw new UsernameTakenException();
		}
		this.events.publishEvent(new AccountRegistered(account.getId(), account.getUsername()));
		return account;
	}

	/**
	 * Stores a new password hash; the caller has checked the current password, a code and
	 * the policy. Password reset links die with the old password; a confirmation link
	 * sent to a new address does not: it proves the mailbox, not the password.
	 */
	@Transactional
	public void changePassword(long accountId, HashedPassword newPassword) {
		this.accounts.updatePasswordHash(accountId, newPassword.value());
		this.tokens.voidOutstanding(accountId, AccountTokens.Purpose.RESET_PASSWORD);
	}

	/**
	 * Deletes the account's own rows (its tokens, then the account, with what the schema
	 * deletes with it) and keeps its username taken for the quarantine; in the caller's
	 * transaction, which has removed what other packages keep of the account first.
	 * @return whether the account was there
	 */
	@Transactional
	public boolean delete(long accountId) {
		Optional<Account> account = this.accounts.findById(accountId);
		if (account.isEmpty()) {
			return false;
		}
		this.tokens.deleteAll(accountId);
		this.quarantine.hold(Account.keyOf(account.get().getUsername()));
		return this.accounts.deleteAccount(accountId) == 1;
	}

	/** Thrown when a username is already registered. */
	public static class UsernameTakenException extends RuntimeException {

		public UsernameTakenException() {
			super("username taken");
		}

	}

}
