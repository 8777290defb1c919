package dev.totplogin.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.totplogin.account.AccountRepository;

import org.springframework.security.authorization.AllRequiredFactorsAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Whether a session's sign-in still holds: the absolute lifetime, the account's session
 * epoch, the signed-in session's row, the pending timeout. Asked by the filter that ends
 * such sessions ({@link SessionValidityFilter}), by the second step's rule, and by the
 * second-factor filters, which run ahead of authorization; the sessions are moved on (or
 * ended) by {@link SignInState}.
 */
@Component
public class SessionValidity {

	private final AccountRepository accounts;

	private final AccountSessions sessions;

	private final Clock clock;

	private final Duration pendingTimeout;

	private final Duration absoluteTimeout;

	SessionValidity(AccountRepository accounts, AccountSessions sessions, Clock clock, SecurityProperties properties) {
		this.accounts = accounts;
		this.sessions = sessions;
		this.clock = clock;
		this.pendingTimeout = properties.pendingTimeout();
		this.absoluteTimeout = properties.absoluteTimeout();
	}

	/** Why a sign-in no longer holds, and the message it ends with. */
	public enum Outlived {

		/** Older than {@code app.security.absolute-timeout} since the sign-in began. */
		EXPIRED("alert", "login.sessionExpired"),

		/** The account's sessions were ended, or this one was, from another session. */
		SIGNED_OUT_ELSEWHERE("info", "login.signedOutElsewhere");

		private final String kind;

		private final String messageKey;

		Outlived(String kind, String messageKey) {
			this.kind = kind;
			this.messageKey = messageKey;
		}

		String kind() {
			return this.kind;
		}

		String messageKey() {
			return this.messageKey;
		}

	}

	/**
	 * Whether the session's sign-in (pending or complete) has outlived itself: past the
	 * absolute lifetime, signed in before the account's session epoch was raised, or a
	 * complete sign-in whose row in {@link AccountSessions} is gone.
	 */
	public Optional<Outlived> outlived(Authentication authentication) {
		if (authentication == null || !(authentication.getPrincipal() instanceof AccountPrincipal principal)) {
			return Optional.empty();
		}
		// From the sign-in's first factor: the password, or a passkey on its own.
		Instant signedInAt = Factors.signedInAt(authentication).orElse(Instant.MIN);
		if (!this.clock.instant().isBefore(signedInAt.plus(this.absoluteTimeout))) {
			return Optional.of(Outlived.EXPIRED);
		}
		Optional<Integer> epoch;
		if (!Factors.isFullyAuthenticated(authentication)) {
			epoch = this.accounts.findSessionEpochById(principal.accountId());
		}
		else if (principal.signedInSession() == null) {
			epoch = Optional.empty();
		}
		else {
			// One read on every signed-in request: its row, and the account's epoch.
			epoch = this.sessions.epochIfStillSignedIn(principal.accountId(), principal.signedInSession());
		}
		if (epoch.isEmpty() || epoch.get() != principal.sessionEpoch()) {
			return Optional.of(Outlived.SIGNED_OUT_ELSEWHERE);
		}
		return Optional.empty();
	}

	/**
	 * The sign-in this session may complete with its second factor: pending, of an
	 * enrolled account, its password step within {@code app.security.pending-timeout}.
	 */
	public Optional<AccountPrincipal> pendingSignIn(Authentication authentication) {
		if (!Factors.isPending(authentication) || pendingExpired(authentication)
				|| outlived(authentication).isPresent()) {
			return Optional.empty();
		}
		AccountPrincipal principal = (AccountPrincipal) authentication.getPrincipal();
		return principal.totpEnabled() ? Optional.of(principal) : Optional.empty();
	}

	private boolean pendingExpired(Authentication pending) {
		return !this.<Object>passwordWithinPendingTimeout().authorize(() -> pending, pending).isGranted();
	}

	/**
	 * The pending timeout as Spring Security says it: the password factor with
	 * {@code app.security.pending-timeout} as its valid duration. The rule of the second
	 * step's pages, and what the second-factor filters ask first (they run before
	 * authorization).
	 */
	<T> AllRequiredFactorsAuthorizationManager<T> passwordWithinPendingTimeout() {
		AllRequiredFactorsAuthorizationManager<T> rule = AllRequiredFactorsAuthorizationManager.<T>builder()
			.requireFactor((factor) -> factor.authority(Factors.PASSWORD).validDuration(this.pendingTimeout))
			.build();
		rule.setClock(this.clock);
		return rule;
	}

}
