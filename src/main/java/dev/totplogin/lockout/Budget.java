package dev.totplogin.lockout;

import dev.totplogin.audit.SecurityEventType;

/**
 * An attempt budget per account: one for the password, one shared by every form of the
 * second factor. Not Spring Security's factors ({@code security.Factors}): a budget
 * counts failures, a factor authority records a proof. The stored names are those of the
 * {@code auth_throttle.factor} column.
 */
public enum Budget {

	/** The password, at sign-in and when an account action asks for it again. */
	PASSWORD(SecurityEventType.PASSWORD_FAILED),

	/**
	 * The second factor: a code from the authenticator app or a recovery code, which
	 * share one budget.
	 */
	SECOND_FACTOR(SecurityEventType.CODE_FAILED);

	private final SecurityEventType failedEvent;

	Budget(SecurityEventType failedEvent) {
		this.failedEvent = failedEvent;
	}

	/** What the audit log calls a failed or refused attempt of this factor. */
	SecurityEventType failedEvent() {
		return this.failedEvent;
	}

}
