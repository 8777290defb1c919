package dev.totplogin.account;

import java.time.Clock;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class AccountService {

	private final AccountRepository accounts;

	private final PasswordEncoder passwordEncoder;

	private final Clock clock;

	AccountService(AccountRepository accounts, PasswordEncoder passwordEncoder, Clock clock) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.clock = clock;
	}

	/**
	 * Creates an account whose second factor is not yet enrolled.
	 * @throws UsernameTakenException if the username exists, in any letter case
	 */
	@Transactional
	public Account register(String username, String password) {
		if (this.accounts.existsByUsernameKey(Account.keyOf(username))) {
			throw new UsernameTakenException();
		}
		try {
			return this.accounts.saveAndFlush(new Account(username, this.passwordEncoder.encode(password), this.clock.instant()));
		}
		catch (DataIntegrityViolationException ex) {
			// Someone registered the same name between the check and the insert.
			throw new UsernameTakenException();
		}
	}

	/** Thrown when a username is already registered. */
	public static class UsernameTakenException extends RuntimeException {

		UsernameTakenException() {
			super("username taken");
		}

	}

}
