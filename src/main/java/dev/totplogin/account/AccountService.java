package dev.totplogin.account;

import java.time.Clock;

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

	AccountService(AccountRepository accounts, PasswordEncoder passwordEncoder, Clock clock,
			ApplicationEventPublisher events, AccountTokens tokens) {
		this.tokens = tokens;
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Creates an account whose second factor is not yet enrolled.
	 * @throws UsernameTakenException if the username exists, in any letter case
	 */
	@Transactional
	public Account register(String username, String password) {
		// Hashed first, whatever the answer: a taken name costs as much time as a new
		// one.
		String hash = this.passwordEncoder.encode(password);
		if (this.accounts.existsByUsernameKey(Account.keyOf(username))) {
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
	 * the policy.
	 */
	@Transactional
	public void changePassword(long accountId, String newPassword) {
		this.accounts.updatePasswordHash(accountId, this.passwordEncoder.encode(newPassword));
		this.tokens.voidAll(accountId);
	}

	/** Thrown when a username is already registered. */
	public static class UsernameTakenException extends RuntimeException {

		public UsernameTakenException() {
			super("username taken");
		}

	}

}
