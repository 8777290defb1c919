package dev.totplogin.security;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;

import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsPasswordService;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Loads accounts for the password step. An unknown user raises
 * {@link UsernameNotFoundException}, after which Spring Security's
 * {@code DaoAuthenticationProvider} still hashes a dummy password, so unknown users and
 * wrong passwords take the same time.
 */
class AccountUserDetailsService implements UserDetailsService, UserDetailsPasswordService {

	private final AccountRepository accounts;

	AccountUserDetailsService(AccountRepository accounts) {
		this.accounts = accounts;
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		if (username == null || username.isBlank()
				|| username.length() > PasswordAuthenticationProvider.MAX_USERNAME_LENGTH) {
			throw new UsernameNotFoundException("no such user");
		}
		return this.accounts.findByUsernameKey(Account.keyOf(username))
			.map(AccountPrincipal::of)
			.orElseThrow(() -> new UsernameNotFoundException("no such user"));
	}

	/**
	 * Re-hashes a password stored with weaker parameters than the current encoder's, at a
	 * successful login.
	 */
	@Override
	public UserDetails updatePassword(UserDetails user, String newPasswordHash) {
		AccountPrincipal principal = (AccountPrincipal) user;
		this.accounts.updatePasswordHash(principal.accountId(), newPasswordHash);
		return principal.withPasswordHash(newPasswordHash);
	}

}
