package dev.totplogin.security;

import java.time.Instant;
import java.util.ArrayList;
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
 */
public record Assurance(List<String> amr, String acr, Instant authTime) {

	/**
	 * Password and a trusted browser: one authentication factor proven in this sign-in.
	 */
	public static final String AAL1 = "urn:totp-login:aal1";

	/** Password and a code, a recovery code or a security key. */
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
		Instant signedInAt = Factors.signedInAt(authentication).orElseThrow();
		if (Factors.isPasskeySignIn(authentication)) {
			boolean synced = Factors.issuedAt(authentication, Factors.SYNCED_PASSKEY).isPresent();
			return Optional.of(new Assurance(List.of(synced ? "swk" : "hwk", "mfa"), AAL2, signedInAt));
		}
		List<String> amr = new ArrayList<>();
		amr.add("pwd");
		if (Factors.issuedAt(authentication, Factors.TOTP).isPresent()
				|| Factors.issuedAt(authentication, Factors.RECOVERY_CODE).isPresent()) {
			amr.add("otp");
		}
		if (Factors.issuedAt(authentication, Factors.WEBAUTHN).isPresent()) {
			amr.add("hwk");
		}
		boolean twoFactors = amr.size() > 1;
		if (twoFactors) {
			amr.add("mfa");
		}
		Instant authTime = Factors.SECOND_FACTORS.stream()
			.map((factor) -> Factors.issuedAt(authentication, factor))
			.flatMap(Optional::stream)
			.reduce(signedInAt, (latest, at) -> at.isAfter(latest) ? at : latest);
		return Optional.of(new Assurance(List.copyOf(amr), twoFactors ? AAL2 : AAL1, authTime));
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
