package dev.totplogin.settings;

import java.io.Serializable;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.totplogin.totp.CodeForm;

/**
 * An account action whose only proof is a code: empty is allowed here, and refused by
 * {@link FreshProof#requireCode} unless this session has fresh proof.
 */
record ConfirmForm(@Size(max = 20, message = "{code.format}") @Pattern(regexp = CodeForm.FORMAT_OR_EMPTY,
		message = "{code.format}") String code) implements Serializable {

	static ConfirmForm empty() {
		return new ConfirmForm("");
	}

}
