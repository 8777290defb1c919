package dev.totplogin.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.security.authorization.AllRequiredFactorsAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * "Confirm it's you" (ASVS 6.2.2, 7.5.1), declared once: an account action needs the
 * password and a code or a security key proven within {@code app.security.fresh-proof}
 * (10 minutes), i.e. a {@code FACTOR_TOTP} or {@code FACTOR_WEBAUTHN} whose
 * {@code issuedAt} is that recent. The sign-in's own factor counts while it is; a code or
 * a key confirmed on the account page re-issues it with a new {@code issuedAt}. A trusted
 * browser and a recovery code never count. The factor lives in the sign-in's
 * {@code Authentication}, so a new sign-in in the same session starts without it.
 */
@Component
public class StepUp {

	private final AuthorizationManager<Object> rule;

	private final Duration validity;

	private final Clock clock;

	StepUp(SecurityProperties properties, Clock clock) {
		this.validity = properties.freshProof();
		this.clock = clock;
		this.rule = rule(this.validity, clock, Factors.TOTP, Factors.WEBAUTHN);
	}

	/**
	 * The rule of the account actions: a fresh code or key, or one of
	 * {@code alsoAccepted} proven within the same time (a recovery code where the phone
	 * may be gone).
	 */
	@SuppressWarnings("unchecked")
	public <T> AuthorizationManager<T> rule(String... alsoAccepted) {
		return (alsoAccepted.length == 0) ? (AuthorizationManager<T>) this.rule
				: rule(this.validity, this.clock,
						Stream.concat(Stream.of(Factors.TOTP, Factors.WEBAUTHN), Stream.of(alsoAccepted))
							.toArray(String[]::new));
	}

	public boolean isFresh(Authentication authentication) {
		return this.rule.authorize(() -> authentication, authentication).isGranted();
	}

	/**
	 * Until when the session needs no new code for an account action, if it has fresh
	 * proof now.
	 */
	public Optional<Instant> freshUntil(Authentication authentication) {
		if (!isFresh(authentication)) {
			return Optional.empty();
		}
		return Stream.of(Factors.TOTP, Factors.WEBAUTHN)
			.map((factor) -> Factors.issuedAt(authentication, factor))
			.flatMap(Optional::stream)
			.max(Instant::compareTo)
			.map((issuedAt) -> issuedAt.plus(this.validity));
	}

	@SuppressWarnings("unchecked")
	private static <T> AuthorizationManager<T> rule(Duration validity, Clock clock, String... seconds) {
		return AllRequiredFactorsAuthorizationManager.anyOf(Stream.of(seconds).map((second) -> {
			AllRequiredFactorsAuthorizationManager<T> rule = AllRequiredFactorsAuthorizationManager.<T>builder()
				.requireFactor((factor) -> factor.authority(Factors.PASSWORD))
				.requireFactor((factor) -> factor.authority(second).validDuration(validity))
				.build();
			rule.setClock(clock);
			return rule;
		}).toArray(AllRequiredFactorsAuthorizationManager[]::new));
	}

}
