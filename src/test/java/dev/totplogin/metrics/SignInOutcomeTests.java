package dev.totplogin.metrics;

import java.time.Instant;

import dev.totplogin.audit.SecurityEventRecorded;
import dev.totplogin.audit.SecurityEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security key's outcomes (a WebAuthn ceremony is not driven here; the flows of the
 * other steps are in {@link SecurityMetricsTests}), and the audit events that are no
 * sign-in outcome.
 */
class SignInOutcomeTests {

	@Test
	void securityKeyEventsWhenMappedThenWebauthnOkWrongAndLocked() {
		assertThat(SignInOutcome.of(event(SecurityEventType.SECURITY_KEY_SIGN_IN, "passkey")))
			.contains(SignInOutcome.WEBAUTHN_OK);
		assertThat(SignInOutcome.of(event(SecurityEventType.SECURITY_KEY_SIGN_IN, null)))
			.contains(SignInOutcome.WEBAUTHN_OK);
		assertThat(SignInOutcome.of(event(SecurityEventType.SECURITY_KEY_CONFIRMED, null)))
			.contains(SignInOutcome.WEBAUTHN_OK);
		assertThat(SignInOutcome.of(event(SecurityEventType.SECURITY_KEY_REFUSED, null)))
			.contains(SignInOutcome.WEBAUTHN_WRONG);
		assertThat(SignInOutcome.of(event(SecurityEventType.REFUSED_WHILE_LOCKED, "second factor: security key")))
			.contains(SignInOutcome.WEBAUTHN_LOCKED);
		assertThat(SignInOutcome.of(event(SecurityEventType.REFUSED_WHILE_LOCKED, "second factor")))
			.contains(SignInOutcome.TOTP_LOCKED);
	}

	@Test
	void refusedWhileDisabledWhenMappedThenDisabledOfTheStepTried() {
		assertThat(SignInOutcome.of(event(SecurityEventType.REFUSED_WHILE_DISABLED, "password")))
			.contains(SignInOutcome.PASSWORD_DISABLED);
		assertThat(SignInOutcome.of(event(SecurityEventType.REFUSED_WHILE_DISABLED, "passkey")))
			.contains(SignInOutcome.WEBAUTHN_DISABLED);
		assertThat(SignInOutcome.PASSWORD_DISABLED.result()).isEqualTo("disabled");
	}

	@Test
	void otherEventsWhenMappedThenNoOutcome() {
		for (SecurityEventType type : new SecurityEventType[] { SecurityEventType.SIGNED_IN, SecurityEventType.LOCKED,
				SecurityEventType.CLIENT_LOCKED, SecurityEventType.PASSWORD_RESET, SecurityEventType.REGISTERED }) {
			assertThat(SignInOutcome.of(event(type, null))).as("%s", type).isEmpty();
		}
	}

	@Test
	void stepsWhenListedThenEveryOutcomeUsesOneOfThem() {
		for (SignInOutcome outcome : SignInOutcome.values()) {
			assertThat(SignInOutcome.steps()).contains(outcome.step());
		}
	}

	private static SecurityEventRecorded event(SecurityEventType type, String detail) {
		return new SecurityEventRecorded(1L, type, detail, Instant.EPOCH, "192.0.2.1", "test");
	}

}
