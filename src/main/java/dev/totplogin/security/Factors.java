package dev.totplogin.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * What a session has proven, read from its {@link Authentication}: the password factor,
 * and a second factor: a TOTP code, a security key, or a browser the account trusts
 * (which stands in for the code at sign-in, never for the fresh proof an account action
 * needs).
 */
public final class Factors {

	public static final String PASSWORD = FactorGrantedAuthority.PASSWORD_AUTHORITY;

	public static final String TOTP = "FACTOR_TOTP";

	/** The second factor of a sign-in on a browser the account trusts. */
	public static final String TRUSTED_BROWSER = "FACTOR_TRUSTED_BROWSER";

	/** A security key or passkey (WebAuthn), Spring Security's own factor authority. */
	public static final String WEBAUTHN = FactorGrantedAuthority.WEBAUTHN_AUTHORITY;

	/** Any one of these completes the sign-in. */
	static final List<String> SECOND_FACTORS = List.of(TOTP, WEBAUTHN, TRUSTED_BROWSER);

	/** Granted only together with both factors: what every ordinary page requires. */
	public static final String ROLE_USER = "ROLE_USER";

	private Factors() {
	}

	public static boolean hasPassword(Authentication authentication) {
		return find(authentication, PASSWORD).isPresent();
	}

	public static boolean hasSecondFactor(Authentication authentication) {
		return SECOND_FACTORS.stream().anyMatch((factor) -> find(authentication, factor).isPresent());
	}

	/** Password proven, second factor still to come. */
	public static boolean isPending(Authentication authentication) {
		return hasPassword(authentication) && !hasSecondFactor(authentication);
	}

	public static boolean isFullyAuthenticated(Authentication authentication) {
		return hasPassword(authentication) && hasSecondFactor(authentication);
	}

	/** When the session proved the given factor. */
	public static Optional<Instant> issuedAt(Authentication authentication, String factor) {
		return find(authentication, factor).map(FactorGrantedAuthority::getIssuedAt);
	}

	/**
	 * Whether the factor was proven at least {@code age} before {@code now} (or not at
	 * all).
	 */
	static boolean isOlderThan(Authentication authentication, String factor, Duration age, Instant now) {
		Instant provenAt = issuedAt(authentication, factor).orElse(Instant.MIN);
		return !now.isBefore(provenAt.plus(age));
	}

	private static Optional<FactorGrantedAuthority> find(Authentication authentication, String factor) {
		if (authentication == null || !authentication.isAuthenticated()) {
			return Optional.empty();
		}
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (authority instanceof FactorGrantedAuthority factorAuthority
					&& factor.equals(authority.getAuthority())) {
				return Optional.of(factorAuthority);
			}
		}
		return Optional.empty();
	}

}
