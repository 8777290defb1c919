package dev.totplogin.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.security.core.Authentication;

/**
 * What a signed-in session proved, said the way other applications read it: the
 * authentication methods of RFC 8176 ({@code amr}) and an assurance level ({@code acr}).
 * The one mapping from the session's factor authorities, shared by the OpenID Connect
 * provider's tokens and the forward-auth answer, so the two can never claim different
 * things.
 *
 * <ul>
 * <li>{@code pwd}: the password. {@code otp}: a code from the authenticator app, or a
 * single-use recovery code (both one-time passwords). {@code hwk}: a security key or
 * passkey (proof of possession of a hardware-bound key). {@code mfa}: two of these.</li>
 * <li>A trusted browser is not an authentication method: a sign-in that skipped the code
 * there has {@code amr} {@code [pwd]} and level {@link #AAL1}; the password with a code,
 * a recovery code or a key is {@link #AAL2} (NIST SP 800-63B-4).</li>
 * <li>A passkey alone ({@link Factors#USER_VERIFIED}: registered as a passkey with user
 * verification, and the assertion's signed flags say the user was verified) is possession
 * and a PIN or biometric in one step: {@code [hwk, mfa]} for a device-bound passkey,
 * {@code [swk, mfa]} for a synced one (backup eligible: the private key may be copied to
 * other devices through the platform's cloud, so it is a software key in RFC 8176's
 * sense), level {@link #AAL2}. A key without user verification is a second factor after
 * the password only and stays {@code [pwd, hwk, mfa]}.</li>
 * </ul>
 * The account page's sessions list, the sign-in's audit line and the session's row
 * ({@code AccountSessions}) take their level from here too.
 */
public record Assurance(List<String> amr, String acr, Instant authTime) {

	/**
	 * Password and a trusted browser: one authentication factor proven in this sign-in.
	 */
	public static final String AAL1 = "urn:totp-login:aal1";

	/**
	 * Password and a code, a recovery code or a security key; or a passkey that verified
	 * its user.
	 */
	public static final String AAL2 = "urn:totp-login:aal2";

	/** The levels, weakest first. */
	public static final List<String> LEVELS = List.of(AAL1, AAL2);

	/** The second factors that make a sign-in {@link #AAL2}. */
	public static final List<String> AAL2_FACTORS = List.of(Factors.TOTP, Factors.WEBAUTHN, Factors.RECOVERY_CODE);

	/**
	 * The assurance of a complete sign-in; empty for anyone not signed in or still
	 * pending.
	 */
	public static Optional<Assurance> of(Authentication authentication) {
		if (!Factors.isFullyAuthenticated(authentication)) {
			return Optional.empty();
		}
		if (Factors.isPasskeySignIn(authentication)) {
			boolean synced = Factors.issuedAt(authentication, Factors.SYNCED_PASSKEY).isPresent();
			return Optional.of(new Assurance(List.of(synced ? "swk" : "hwk", "mfa"), AAL2,
					Factors.signInStartedAt(authentication).orElseThrow()));
		}
		List<String> amr = new ArrayList<>();
		if (Factors.hasPassword(authentication)) {
			amr.add("pwd");
		}
		if (has(authentication, Factors.TOTP) || has(authentication, Factors.RECOVERY_CODE)) {
			amr.add("otp");
		}
		if (has(authentication, Factors.WEBAUTHN)) {
			amr.add("hwk");
		}
		boolean twoFactors = amr.size() > 1;
		if (twoFactors) {
			amr.add("mfa");
		}
		Instant authTime = Factors.SIGN_IN_FACTORS.stream()
			.map((factor) -> Factors.issuedAt(authentication, factor))
			.flatMap(Optional::stream)
			.max(Instant::compareTo)
			.orElseThrow();
		return Optional.of(new Assurance(List.copyOf(amr), twoFactors ? AAL2 : AAL1, authTime));
	}

	/**
	 * How the sign-in was made, as the account page's sessions list says it: the key of a
	 * sentence ({@code account.sessions.method.*}); {@code other} for a combination
	 * without a sentence of its own.
	 * @param factors the names of the sign-in's factor authorities
	 */
	public static String method(Collection<String> factors) {
		if (!factors.contains(Factors.PASSWORD)) {
			return (factors.contains(Factors.WEBAUTHN) && factors.contains(Factors.USER_VERIFIED)) ? "passkey"
					: "other";
		}
		if (factors.contains(Factors.TOTP)) {
			return "code";
		}
		if (factors.contains(Factors.WEBAUTHN)) {
			return "key";
		}
		if (factors.contains(Factors.RECOVERY_CODE)) {
			return "recoveryCode";
		}
		return factors.contains(Factors.TRUSTED_BROWSER) ? "trustedBrowser" : "other";
	}

	/** The names of the sign-in's factor authorities (not {@link Factors#CONFIRMED}). */
	public static List<String> factors(Authentication authentication) {
		return Factors.SIGN_IN_FACTORS.stream().filter((factor) -> has(authentication, factor)).toList();
	}

	/** The level's short name, as stored and audited: {@code aal1}, {@code aal2}. */
	public String level() {
		return this.acr.substring(this.acr.lastIndexOf(':') + 1);
	}

	private static boolean has(Authentication authentication, String factor) {
		return Factors.issuedAt(authentication, factor).isPresent();
	}

	/** Whether this session meets the level asked for (an unknown level: never). */
	public boolean meets(String level) {
		int asked = LEVELS.indexOf(level);
		return asked >= 0 && LEVELS.indexOf(this.acr) >= asked;
	}

	/** {@code amr} as one header value: {@code pwd otp mfa}. */
	public String amrText() {
		return String.join(" ", this.amr);
	}

}
