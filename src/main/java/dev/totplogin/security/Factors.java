package dev.totplogin.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authorization.AllRequiredFactorsAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.RequiredFactor;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * The factors a session proves, as Spring Security's {@link FactorGrantedAuthority}s
 * (each with the time it was proven), and the one rule that says a sign-in is complete:
 * the password and any one second factor, or a passkey that verified its user.
 */
public final class Factors {

	public static final String PASSWORD = FactorGrantedAuthority.PASSWORD_AUTHORITY;

	/**
	 * A code from the authenticator app, at sign-in or to confirm on the account page.
	 */
	public static final String TOTP = "FACTOR_TOTP";

	/** A single-use recovery code in place of the app's code at sign-in. */
	public static final String RECOVERY_CODE = "FACTOR_RECOVERY_CODE";

	/**
	 * A browser the account trusts, in place of the code at sign-in; never fresh proof
	 * for an account action.
	 */
	public static final String TRUSTED_BROWSER = "FACTOR_TRUSTED_BROWSER";

	/** A security key or passkey (WebAuthn), Spring Security's own factor authority. */
	public static final String WEBAUTHN = FactorGrantedAuthority.WEBAUTHN_AUTHORITY;

	/**
	 * Our own factor authority, issued with {@link #WEBAUTHN} when a passkey signed in on
	 * its own: the assertion's signed authenticator data had the user-verified (UV) flag
	 * and the credential was registered as a passkey with user verification. Spring
	 * Security grants {@code FACTOR_WEBAUTHN} whether or not the user was verified
	 * (spring-security #16849), so that authority alone never says "two factors".
	 */
	public static final String USER_VERIFIED = "FACTOR_USER_VERIFIED";

	/**
	 * Not a factor of its own: says that the passkey of a {@link #USER_VERIFIED} sign-in
	 * is synced (backup eligible), which {@link Assurance} reports as {@code swk}.
	 */
	public static final String SYNCED_PASSKEY = "FACTOR_SYNCED_PASSKEY";

	/**
	 * Not a sign-in's factor: a code or a security key proven again inside a signed-in
	 * session ("confirm it's you"), which account actions require while it is recent
	 * ({@link StepUp}).
	 */
	public static final String CONFIRMED = "FACTOR_CONFIRMED";

	/** Any one of these, after the password, completes the sign-in. */
	public static final List<String> SECOND_FACTORS = List.of(TOTP, WEBAUTHN, RECOVERY_CODE, TRUSTED_BROWSER);

	/**
	 * The factor sets that each make a complete sign-in: the password and one second
	 * factor, or a passkey with user verification (possession and a PIN or biometric in
	 * one step).
	 */
	public static final List<List<String>> COMPLETE_SIGN_INS = completeSignIns();

	/**
	 * What a sign-in can prove (not {@link #CONFIRMED}, proven again later inside the
	 * session): its earliest is where the absolute limit counts from.
	 */
	static final List<String> SIGN_IN_FACTORS = List.of(PASSWORD, TOTP, WEBAUTHN, RECOVERY_CODE, TRUSTED_BROWSER,
			USER_VERIFIED);

	private static final AuthorizationManager<Object> signedIn = signedIn();

	private Factors() {
	}

	/**
	 * The rule every ordinary page declares, and the only place that says a sign-in is
	 * complete: the password and any one second factor, or a passkey with
	 * {@link #USER_VERIFIED}, each a {@link FactorGrantedAuthority}. A session missing
	 * the second factor is denied with one {@code RequiredFactorError} per missing
	 * factor, which sends it to its entry point (the second step's page).
	 */
	@SuppressWarnings("unchecked")
	public static <T> AuthorizationManager<T> signedIn() {
		return AllRequiredFactorsAuthorizationManager
			.anyOf(completeSignInRules(List.of()).toArray(AllRequiredFactorsAuthorizationManager[]::new));
	}

	/**
	 * One factor rule per {@link #COMPLETE_SIGN_INS} entry, each requiring first the
	 * given requirements (e.g. fresh proof), then the entry's factors.
	 */
	static <T> List<AllRequiredFactorsAuthorizationManager<T>> completeSignInRules(
			List<Consumer<RequiredFactor.Builder>> first) {
		return COMPLETE_SIGN_INS.stream().map((factors) -> {
			AllRequiredFactorsAuthorizationManager.Builder<T> rule = AllRequiredFactorsAuthorizationManager.builder();
			first.forEach(rule::requireFactor);
			factors.forEach((required) -> rule.requireFactor((factor) -> factor.authority(required)));
			return rule.build();
		}).toList();
	}

	private static List<List<String>> completeSignIns() {
		List<List<String>> sets = new ArrayList<>();
		SECOND_FACTORS.forEach((second) -> sets.add(List.of(PASSWORD, second)));
		sets.add(List.of(WEBAUTHN, USER_VERIFIED));
		return List.copyOf(sets);
	}

	/** A sign-in by a passkey alone, without a password. */
	public static boolean isPasskeySignIn(Authentication authentication) {
		return !hasPassword(authentication) && issuedAt(authentication, USER_VERIFIED).isPresent()
				&& issuedAt(authentication, WEBAUTHN).isPresent();
	}

	public static boolean isFullyAuthenticated(Authentication authentication) {
		return signedIn.authorize(() -> authentication, authentication).isGranted();
	}

	/**
	 * The same sign-in with {@code factor} proven at {@code at}: added, or re-issued with
	 * the new time if the session had proven it before.
	 */
	public static Authentication with(Authentication authentication, String factor, Instant at) {
		List<GrantedAuthority> authorities = new ArrayList<>(authentication.getAuthorities());
		authorities.removeIf((authority) -> factor.equals(authority.getAuthority()));
		authorities.add(FactorGrantedAuthority.withAuthority(factor).issuedAt(at).build());
		return UsernamePasswordAuthenticationToken.authenticated(authentication.getPrincipal(), null, authorities);
	}

	public static boolean hasPassword(Authentication authentication) {
		return issuedAt(authentication, PASSWORD).isPresent();
	}

	/** Password proven, second factor still to come. */
	public static boolean isPending(Authentication authentication) {
		return hasPassword(authentication) && !isFullyAuthenticated(authentication);
	}

	/** When the session proved the given factor. */
	public static Optional<Instant> issuedAt(Authentication authentication, String factor) {
		if (authentication == null || !authentication.isAuthenticated()) {
			return Optional.empty();
		}
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (authority instanceof FactorGrantedAuthority proven && factor.equals(authority.getAuthority())) {
				return Optional.of(proven.getIssuedAt());
			}
		}
		return Optional.empty();
	}

	/**
	 * When the sign-in began: its earliest factor. That is the password step, or for a
	 * trusted browser the earlier code or key it stands in for (its factor is issued with
	 * that time), or a passkey alone.
	 */
	public static Optional<Instant> signInStartedAt(Authentication authentication) {
		return SIGN_IN_FACTORS.stream()
			.map((factor) -> issuedAt(authentication, factor))
			.flatMap(Optional::stream)
			.min(Instant::compareTo);
	}

}
