package dev.totplogin.settings;

import java.io.Serializable;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.totplogin.totp.CodeFormat;

/**
 * An account action whose only proof is a code: empty is allowed here, and refused by the
 * step-up rule unless this session has fresh proof ({@code security.StepUp}).
 */
record ConfirmForm(@Size(max = CodeFormat.MAX_LENGTH, message = "{code.format}") @Pattern(
		regexp = CodeFormat.PATTERN_OR_EMPTY, message = "{code.format}") String code) implements Serializable {

	static ConfirmForm empty() {
		return new ConfirmForm("");
	}

}
