package dev.totplogin.settings;

import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * POST-redirect-GET for an account action that failed: the form (without its passwords
 * and codes) and its errors travel to {@code GET /account#<section>} as flash attributes,
 * so the person lands on the failing form, a reload is a harmless GET, and the session
 * never holds what was typed into a secret field (errors keep no rejected value).
 */
final class FailedForm {

	private FailedForm() {
	}

	/**
	 * @param name the form's model name
	 * @param kept the form as it may be shown again: secret fields empty
	 * @param section the id of its section on the account page
	 */
	static String backTo(String section, String name, Object kept, BindingResult result, RedirectAttributes redirect) {
		redirect.addFlashAttribute(name, kept);
		redirect.addFlashAttribute(BindingResult.MODEL_KEY_PREFIX + name, errorsOf(name, kept, result));
		return "redirect:/account#" + section;
	}

	/**
	 * The errors of {@code result}, for the form as it may be shown again, without what
	 * was typed.
	 */
	static BindingResult errorsOf(String name, Object kept, BindingResult result) {
		BeanPropertyBindingResult errors = new BeanPropertyBindingResult(kept, name);
		for (ObjectError error : result.getAllErrors()) {
			errors.addError((error instanceof FieldError field)
					? new FieldError(name, field.getField(), null, false, field.getCodes(), field.getArguments(),
							field.getDefaultMessage())
					: new ObjectError(name, error.getCodes(), error.getArguments(), error.getDefaultMessage()));
		}
		return errors;
	}

}
