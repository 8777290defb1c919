package dev.totplogin.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.totplogin.account.AccountRepository;

import org.springframework.security.authorization.AllRequiredFactorsAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

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

	private final Duration idleTimeout;

	SessionValidity(AccountRepository accounts, AccountSessions sessions, Clock clock, SecurityProperties properties) {
		this.accounts = accounts;
		this.sessions = sessions;
		this.clock = clock;
		this.pendingTimeout = properties.pendingTimeout();
		this.absoluteTimeout = properties.absoluteTimeout();
		this.idleTimeout = properties.idleTimeout();
	}

	/** Why a sign-in no longer holds, and the message it ends with. */
	public enum Outlived {

		/**
		 * Older than {@code app.security.absolute-timeout} since the sign-in's earliest
		 * factor ({@link Factors#signInStartedAt}).
		 */
		EXPIRED("alert", "login.sessionExpired"),

		/**
		 * No request for longer than {@code app.security.idle-timeout}, as the session's
		 * row says ({@link AccountSessions#stillSignedIn}: to the minute).
		 */
		IDLE("alert", "login.idleTimeout"),

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
	 * absolute lifetime, signed in before the account's session epoch was raised, a
	 * complete sign-in whose row in {@link AccountSessions} is gone, or one idle past the
	 * idle timeout.
	 */
	public Optional<Outlived> outlived(Authentication authentication) {
		if (authentication == null || !(authentication.getPrincipal() instanceof AccountPrincipal principal)) {
			return Optional.empty();
		}
		// Asked up to three times a request (a second-factor filter, this filter, a
		// controller): the database is read once for the same sign-in.
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (request != null && request.getAttribute(CHECKED, RequestAttributes.SCOPE_REQUEST) instanceof Checked checked
				&& checked.authentication() == authentication) {
			return checked.outcome();
		}
		Optional<Outlived> outcome = check(authentication, principal);
		if (request != null) {
			request.setAttribute(CHECKED, new Checked(authentication, outcome), RequestAttributes.SCOPE_REQUEST);
		}
		return outcome;
	}

	private static final String CHECKED = SessionValidity.class.getName() + ".CHECKED";

	/** What this request's check of one sign-in found. */
	private record Checked(Authentication authentication, Optional<Outlived> outcome) {
	}

	private Optional<Outlived> check(Authentication authentication, AccountPrincipal principal) {
		if (!this.clock.instant().isBefore(endsAt(authentication))) {
			return Optional.of(Outlived.EXPIRED);
		}
		Optional<Integer> epoch;
		boolean idle = false;
		if (!Factors.isFullyAuthenticated(authentication)) {
			epoch = this.accounts.findSessionEpochById(principal.accountId());
		}
		else if (principal.signedInSession() == null) {
			epoch = Optional.empty();
		}
		else {
			// One read on every signed-in request: its row, and the account's epoch.
			Optional<AccountSessions.Activity> activity = this.sessions.stillSignedIn(principal.accountId(),
					principal.signedInSession());
			epoch = activity.map(AccountSessions.Activity::sessionEpoch);
			idle = activity.filter(AccountSessions.Activity::idle).isPresent();
		}
		if (epoch.isEmpty() || epoch.get() != principal.sessionEpoch()) {
			return Optional.of(Outlived.SIGNED_OUT_ELSEWHERE);
		}
		return idle ? Optional.of(Outlived.IDLE) : Optional.empty();
	}

	/**
	 * When the sign-in reaches {@code app.security.absolute-timeout}: counted from its
	 * earliest factor, so a trusted browser's sign-in ends when the code it stands in for
	 * is that old.
	 */
	Instant endsAt(Authentication authentication) {
		return Factors.signInStartedAt(authentication)
			.map((start) -> start.plus(this.absoluteTimeout))
			.orElse(Instant.MIN);
	}

	/** The limit a session was ended by, for its message; null for none. */
	Duration limitOf(Outlived outlived) {
		return switch (outlived) {
			case EXPIRED -> this.absoluteTimeout;
			case IDLE -> this.idleTimeout;
			default -> null;
		};
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
