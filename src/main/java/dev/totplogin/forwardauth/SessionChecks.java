package dev.totplogin.forwardauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.SessionValidity;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * The verify endpoint's check of a signed-in session, kept on this instance for
 * {@code app.forward-auth.session-check}. The endpoint runs on every request of the
 * protected application; the session store's read is one database read, and the check
 * that the session was not ended elsewhere ({@link SessionValidity}) is another, plus the
 * verified email: done once per session and interval, never on every request. A session
 * ended on another device or instance is refused at most that much later; the
 * application's own pages still check on every request.
 */
@Component
class SessionChecks {

	/** Entries kept at most; beyond it the expired ones go first, then all. */
	private static final int MAX_ENTRIES = 100_000;

	private final SessionValidity validity;

	private final AccountRepository accounts;

	private final Clock clock;

	private final Duration interval;

	private final Map<String, Checked> checked = new ConcurrentHashMap<>();

	SessionChecks(SessionValidity validity, AccountRepository accounts, Clock clock, ForwardAuthProperties properties) {
		this.validity = validity;
		this.accounts = accounts;
		this.clock = clock;
		this.interval = properties.sessionCheck();
	}

	/**
	 * The verified email of a signed-in session that still holds (empty string: none);
	 * empty if it no longer holds.
	 */
	Optional<String> stillSignedIn(Authentication authentication) {
		AccountPrincipal principal = (AccountPrincipal) authentication.getPrincipal();
		String key = principal.signedInSession();
		Instant now = this.clock.instant();
		Checked recent = (key != null) ? this.checked.get(key) : null;
		if (recent != null && now.isBefore(recent.until())) {
			return Optional.of(recent.email());
		}
		if (this.validity.outlived(authentication).isPresent()) {
			if (key != null) {
				this.checked.remove(key);
			}
			return Optional.empty();
		}
		String email = this.accounts.findById(principal.accountId()).flatMap(Account::verifiedEmail).orElse("");
		if (key != null && !this.interval.isZero() && !this.interval.isNegative()) {
			if (this.checked.size() >= MAX_ENTRIES) {
				this.checked.values().removeIf((entry) -> !now.isBefore(entry.until()));
				if (this.checked.size() >= MAX_ENTRIES) {
					this.checked.clear();
				}
			}
			this.checked.put(key, new Checked(now.plus(this.interval), email));
		}
		return Optional.of(email);
	}

	private record Checked(Instant until, String email) {
	}

}
