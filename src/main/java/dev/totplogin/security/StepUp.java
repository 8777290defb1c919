package dev.totplogin.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.security.authorization.AllRequiredFactorsAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * "Confirm it's you" (ASVS 6.2.2, 7.5.1), declared once: an account action needs
 * {@link Factors#CONFIRMED}, a second factor proven again inside the signed-in session (a
 * code or a security key on the account page), whose {@code issuedAt} is within
 * {@code app.security.fresh-proof} (10 minutes); confirming again re-issues it. The
 * sign-in's own factors never count: a session cookie taken right after a sign-in (a
 * phishing proxy's) still needs a code for every change. The factor lives in the
 * sign-in's {@code Authentication}, so a new sign-in in the same session starts without
 * it.
 */
@Component
public class StepUp {

	private final AuthorizationManager<Object> rule;

	private final Duration validity;

	private final Clock clock;

	StepUp(SecurityProperties properties, Clock clock) {
		this.validity = properties.freshProof();
		this.clock = clock;
		this.rule = rule();
	}

	/**
	 * The rule of the account actions and of adding a security key: a complete sign-in
	 * (as {@link Factors#signedIn()} asks) and {@link Factors#CONFIRMED} within
	 * {@code app.security.fresh-proof}.
	 */
	public <T> AuthorizationManager<T> rule() {
		return rule(this.validity);
	}

	/**
	 * The same rule with another duration: the admin console's actions ask for proof
	 * fresher than the account page's ({@code app.admin.fresh-proof}).
	 */
	@SuppressWarnings("unchecked")
	public <T> AuthorizationManager<T> rule(Duration validity) {
		List<AllRequiredFactorsAuthorizationManager<T>> rules = Factors.completeSignInRules(List.of(
				// First: its error is the one whose entry point a denial goes to.
				(factor) -> factor.authority(Factors.CONFIRMED).validDuration(validity)));
		rules.forEach((rule) -> rule.setClock(this.clock));
		return AllRequiredFactorsAuthorizationManager
			.anyOf(rules.toArray(AllRequiredFactorsAuthorizationManager[]::new));
	}

	public boolean isFresh(Authentication authentication) {
		return this.rule.authorize(() -> authentication, authentication).isGranted();
	}

	/** Whether the session confirmed it is its owner within {@code validity}. */
	public boolean isFresh(Authentication authentication, Duration validity) {
		return this.<Object>rule(validity).authorize(() -> authentication, authentication).isGranted();
	}

	/** Until when the session has proof fresh within {@code validity}, if it has. */
	public Optional<Instant> freshUntil(Authentication authentication, Duration validity) {
		return isFresh(authentication, validity)
				? Factors.issuedAt(authentication, Factors.CONFIRMED).map((issuedAt) -> issuedAt.plus(validity))
				: Optional.empty();
	}

	/**
	 * Until when the session needs no new code for an account action, if it has fresh
	 * proof now.
	 */
	public Optional<Instant> freshUntil(Authentication authentication) {
		return isFresh(authentication)
				? Factors.issuedAt(authentication, Factors.CONFIRMED).map((issuedAt) -> issuedAt.plus(this.validity))
				: Optional.empty();
	}

	/**
	 * The session's authentication with the owner confirmed now:
	 * {@link Factors#CONFIRMED} issued with the current time.
	 */
	public Authentication confirmedNow(Authentication authentication) {
		return Factors.with(authentication, Factors.CONFIRMED, this.clock.instant());
	}

}
