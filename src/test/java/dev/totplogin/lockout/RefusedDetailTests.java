package dev.totplogin.lockout;

import dev.totplogin.audit.SecurityEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refusal while locked names what was tried, in the audit log and for the metrics: the
 * password as before; a code of the authenticator app as the second factor; a recovery
 * code or a security key by its form.
 */
class RefusedDetailTests {

	@Test
	void refusedDetailWhenEachFormIsRefusedThenTheBudgetAndTheFormTried() {
		assertThat(Attempts.refusedDetail(Budget.PASSWORD, SecurityEventType.PASSWORD_FAILED, null))
			.isEqualTo("password");
		assertThat(Attempts.refusedDetail(Budget.SECOND_FACTOR, SecurityEventType.CODE_FAILED, null))
			.isEqualTo("second factor");
		assertThat(Attempts.refusedDetail(Budget.SECOND_FACTOR, SecurityEventType.CODE_FAILED, "recovery code"))
			.isEqualTo("second factor: recovery code");
		assertThat(Attempts.refusedDetail(Budget.SECOND_FACTOR, SecurityEventType.SECURITY_KEY_REFUSED, null))
			.isEqualTo("second factor: security key");
	}

}
