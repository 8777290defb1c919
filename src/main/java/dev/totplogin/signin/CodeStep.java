package dev.totplogin.signin;

import java.time.Clock;

import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.Budget;

import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.BindingResult;

/**
 * The forms of the second step (the code, the recovery code): shown with the lock's
 * message at once when the account's second factor is locked, and again after a refusal
 * with the reason next to the field.
 */
@Component
class CodeStep {

	private final Attempts attempts;

	private final Clock clock;

	CodeStep(Attempts attempts, Clock clock) {
		this.attempts = attempts;
		this.clock = clock;
	}

	/**
	 * The code form for a page that takes a second factor: with the lock's message at
	 * once if the account's second factor is locked now, so that nobody types a right
	 * code only to have it refused.
	 */
	void addForm(Model model, String name, Object form, long accountId, String field, AttemptMessages.Typed typed) {
		BindingResult result = new BeanPropertyBindingResult(form, name);
		this.attempts.lockedUntil(accountId, Budget.SECOND_FACTOR)
			.ifPresent((until) -> AttemptMessages.rejectLocked(result, field, until, this.clock, typed));
		model.addAttribute(name, form);
		model.addAttribute(BindingResult.MODEL_KEY_PREFIX + name, result);
	}

}
