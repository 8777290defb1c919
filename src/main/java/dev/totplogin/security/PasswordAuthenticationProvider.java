package dev.totplogin.security;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.ClientAddress;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.Budget;
import dev.totplogin.lockout.ClientPasswordLimit;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.util.StringUtils;

/**
 * The password step: Spring's {@link DaoAuthenticationProvider} (unknown users cost a
 * dummy hash, weaker hashes are upgraded) inside the account's password {@link Attempts}
 * sequence. A password that could not be checked (hashing at capacity) never counts, by
 * construction: the sequence gives the attempt back when the check throws. A locked
 * account is refused with the same exception, message and time (one hash) as a wrong
 * password or an unknown user, so the lock reveals nothing; only the audit log tells them
 * apart.
 * <p>
 * Around it, the client's own budget ({@link ClientPasswordLimit}): a client address that
 * failed too many password steps, over whatever accounts, is refused with the same answer
 * before anything is checked or hashed.
 */
class PasswordAuthenticationProvider implements AuthenticationProvider {

	/** Longer input cannot be a username: refuse it before it reaches the database. */
	static final int MAX_USERNAME_LENGTH = 64;

	private final DaoAuthenticationProvider passwordCheck;

	private final PasswordEncoder passwordEncoder;

	private final AccountRepository accounts;

	private final Attempts attempts;

	private final AuditLog audit;

	private final ClientPasswordLimit clients;

	/**
	 * The account this thread's password step has read, which Spring's check is given
	 * instead of reading it again: one read of the row per password step, so its disabled
	 * state and its session epoch come from the same read (a disable committed after it
	 * raises the epoch: the pending session this step makes is ended at its next request,
	 * and its code step cannot complete, {@link AccountSessions#start}).
	 */
	private final ThreadLocal<AccountPrincipal> read = new ThreadLocal<>();

	PasswordAuthenticationProvider(AccountUserDetailsService users, PasswordEncoder passwordEncoder,
			AccountRepository accounts, Attempts attempts, AuditLog audit, ClientPasswordLimit clients) {
		this.clients = clients;
		this.passwordCheck = new DaoAuthenticationProvider(this::alreadyRead);
		this.passwordCheck.setPasswordEncoder(passwordEncoder);
		this.passwordCheck.setUserDetailsPasswordService(users);
		this.passwordEncoder = passwordEncoder;
		this.accounts = accounts;
		this.attempts = attempts;
		this.audit = audit;
	}

	@Override
	public Authentication authenticate(Authentication login) {
		if (!StringUtils.hasText(login.getName()) || login.getCredentials() == null
				|| !StringUtils.hasText(login.getCredentials().toString())) {
			// Names no account and tries no password: refused before any budget or hash.
			throw new BadCredentialsException("Bad credentials");
		}
		Optional<String> client = ClientAddress.current();
		if (client.isPresent() && !this.clients.reserve(client.get())) {
			throw new BadCredentialsException("Bad credentials");
		}
		boolean failed = false;
		try {
			return check(login);
		}
		catch (BadCredentialsException ex) {
			failed = true;
			throw ex;
		}
		finally {
			// A right password, or none checked ("busy"), costs the client nothing.
			if (client.isPresent()) {
				if (failed) {
					this.clients.failed(client.get());
				}
				else {
					this.clients.giveBack(client.get());
				}
			}
		}
	}

	private Authentication check(Authentication login) {
		Optional<Account> account = find(login.getName());
		if (account.isEmpty()) {
			this.audit.record(null, SecurityEventType.PASSWORD_FAILED, "unknown user");
			// Throws BadCredentialsException after hashing a dummy password: the same
			// time as a wrong password.
			return this.passwordCheck.authenticate(login);
		}
		long accountId = account.get().getId();
		if (account.get().isDisabled()) {
			// Disabled by an administrator: the answer and the time of a wrong password.
			this.passwordEncoder.matches(String.valueOf(login.getCredentials()), account.get().getPasswordHash());
			this.audit.record(accountId, SecurityEventType.REFUSED_WHILE_DISABLED, "password");
			throw new BadCredentialsException("Bad credentials");
		}
		AtomicReference<Authentication> signedIn = new AtomicReference<>();
		AttemptResult result;
		this.read.set(AccountPrincipal.of(account.get()));
		try {
			result = this.attempts.attempt(accountId, Budget.PASSWORD, "wrong password", () -> {
				try {
					signedIn.set(this.passwordCheck.authenticate(login));
				}
				catch (BadCredentialsException ex) {
					return AttemptResult.Status.WRONG;
				}
				return AttemptResult.Status.ACCEPTED;
			});
		}
		finally {
			this.read.remove();
		}
		if (result.accepted()) {
			this.audit.record(accountId, SecurityEventType.PASSWORD_OK);
			return signedIn.get();
		}
		if (result.status() == AttemptResult.Status.LOCKED) {
			// Refused without a check: one hash all the same, so a lock takes as long as
			// a wrong password.
			this.passwordEncoder.matches(String.valueOf(login.getCredentials()), account.get().getPasswordHash());
		}
		throw new BadCredentialsException("Bad credentials");
	}

	/**
	 * Spring's check hashes its dummy password (what an unknown user's password is
	 * checked against) at the first unknown user it meets: a new hash, whose places a
	 * sign-up flood may hold, so that first sign-in could be "busy". Done once as the
	 * application starts instead: an empty name is refused as unknown without a lookup.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void prepareDummyHash() {
		try {
			this.passwordCheck.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("", "-"));
		}
		catch (BadCredentialsException expected) {
			// The answer for an unknown user: the dummy hash is made.
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

	/**
	 * Spring's check loads no account of its own: the one {@link #check} has read, or
	 * none (an unknown user, for which it hashes its dummy password).
	 */
	private UserDetails alreadyRead(String username) {
		AccountPrincipal principal = this.read.get();
		if (principal == null) {
			throw new UsernameNotFoundException("no such user");
		}
		return principal;
	}

	private Optional<Account> find(String username) {
		if (username == null || username.isBlank() || username.length() > MAX_USERNAME_LENGTH) {
			return Optional.empty();
		}
		return this.accounts.findByUsernameKey(Account.keyOf(username));
	}

}
