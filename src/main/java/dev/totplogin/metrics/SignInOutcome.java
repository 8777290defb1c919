package dev.totplogin.metrics;

import java.util.List;
import java.util.Optional;

import dev.totplogin.audit.SecurityEventRecorded;

/**
 * A sign-in step and its result, the labels of {@code totplogin_signin_attempts_total}:
 * only these pairs exist, so no label can carry a name, an address or anything else
 * unbounded.
 */
enum SignInOutcome {

	PASSWORD_OK("password", "ok"), PASSWORD_WRONG("password", "wrong"), PASSWORD_LOCKED("password", "locked"),
	PASSWORD_BUSY("password", "busy"), PASSWORD_DISABLED("password", "disabled"),

	TOTP_OK("totp", "ok"), TOTP_WRONG("totp", "wrong"), TOTP_REPLAYED("totp", "replayed"),
	TOTP_LOCKED("totp", "locked"),

	RECOVERY_OK("recovery", "ok"), RECOVERY_WRONG("recovery", "wrong"), RECOVERY_LOCKED("recovery", "locked"),

	WEBAUTHN_OK("webauthn", "ok"), WEBAUTHN_WRONG("webauthn", "wrong"), WEBAUTHN_LOCKED("webauthn", "locked"),
	WEBAUTHN_DISABLED("webauthn", "disabled"),

	TRUSTED_BROWSER_OK("trusted_browser", "ok");

	/** The audit detail of a recovery code's failure ({@code recovery.RecoveryCodes}). */
	private static final String RECOVERY_CODE = "recovery code";

	private final String step;

	private final String result;

	SignInOutcome(String step, String result) {
		this.step = step;
		this.result = result;
	}

	String step() {
		return this.step;
	}

	String result() {
		return this.result;
	}

	/**
	 * The outcome an audit event records, if it is one. A factor's check counts wherever
	 * it happens: at sign-in, and when a signed-in person confirms it's them.
	 */
	static Optional<SignInOutcome> of(SecurityEventRecorded event) {
		String detail = (event.detail() != null) ? event.detail() : "";
		return Optional.ofNullable(switch (event.type()) {
			case PASSWORD_OK -> PASSWORD_OK;
			case PASSWORD_FAILED -> PASSWORD_WRONG;
			case CODE_ACCEPTED -> TOTP_OK;
			case CODE_FAILED -> RECOVERY_CODE.equals(detail) ? RECOVERY_WRONG : TOTP_WRONG;
			case CODE_REPLAY_REFUSED -> TOTP_REPLAYED;
			case RECOVERY_CODE_USED -> RECOVERY_OK;
			case SECURITY_KEY_SIGN_IN, SECURITY_KEY_CONFIRMED -> WEBAUTHN_OK;
			case SECURITY_KEY_REFUSED -> WEBAUTHN_WRONG;
			case TRUSTED_BROWSER_SIGN_IN -> TRUSTED_BROWSER_OK;
			// lockout.Attempts: "password", "second factor", "second factor: <form>".
			case REFUSED_WHILE_LOCKED -> lockedOutcome(detail);
			// An account disabled by an administrator: "password", or "passkey" (its
			// first step).
			case REFUSED_WHILE_DISABLED -> "passkey".equals(detail) ? WEBAUTHN_DISABLED : PASSWORD_DISABLED;
			default -> null;
		});
	}

	private static SignInOutcome lockedOutcome(String detail) {
		if (detail.startsWith("password")) {
			return PASSWORD_LOCKED;
		}
		if (detail.endsWith(": " + RECOVERY_CODE)) {
			return RECOVERY_LOCKED;
		}
		if (detail.endsWith(": security key")) {
			return WEBAUTHN_LOCKED;
		}
		return TOTP_LOCKED;
	}

	/** Every step label, for the docs' test. */
	static List<String> steps() {
		return List.of("password", "totp", "recovery", "webauthn", "trusted_browser");
	}

}
