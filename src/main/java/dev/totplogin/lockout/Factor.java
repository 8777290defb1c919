package dev.totplogin.lockout;

import dev.totplogin.audit.SecurityEventType;

/**
 * What a person proves, each with its own attempt budget per account. The stored names
 * are those of the {@code auth_throttle.factor} column.
 */
public enum Factor {

	/** The password, at sign-in and when an account action asks for it again. */
	PASSWORD(SecurityEventType.PASSWORD_FAILED),

	/**
	 * The second factor: a code from the authenticator app or a recovery code, which
	 * share one budget.
	 */
	SECOND_FACTOR(SecurityEventType.CODE_FAILED);

	private final SecurityEventType failedEvent;

	Factor(SecurityEventType failedEvent) {
		this.failedEvent = failedEvent;
	}

	/** What the audit log calls a failed or refused attempt of this factor. */
	SecurityEventType failedEvent() {
		return this.failedEvent;
	}

}
