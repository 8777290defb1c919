package dev.totplogin.recovery;

/**
 * How many of its recovery codes an account has left, and what the pages make of it.
 *
 * @param left unused codes
 */
public record RemainingRecoveryCodes(long left) {

	/** At or below this, the home page asks for new codes. */
	static final int LOW = 3;

	/** Every code of the last set is still unused. */
	public boolean full() {
		return this.left >= RecoveryCodes.COUNT;
	}

	public boolean low() {
		return this.left <= LOW;
	}

}
