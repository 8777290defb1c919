package dev.totplogin.settings;

import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * POST-redirect-GET for an account action's outcome: the message travels with the id of
 * the section the person acted in, and the account page shows it inside that section,
 * where the redirect to {@code /account#<section>} scrolls (at the top of a long page it
 * would be off screen).
 */
final class SectionMessage {

	/**
	 * The flash attribute naming the section; without it, a message is shown at the top.
	 */
	static final String SECTION = "messageSection";

	private SectionMessage() {
	}

	/** A success message ("info") in the section, and the redirect to it. */
	static String info(RedirectAttributes redirect, String section, String key) {
		return send(redirect, section, "info", key);
	}

	/** A problem ("alert") in the section, and the redirect to it. */
	static String alert(RedirectAttributes redirect, String section, String key) {
		return send(redirect, section, "alert", key);
	}

	private static String send(RedirectAttributes redirect, String section, String kind, String key) {
		redirect.addFlashAttribute(kind, key);
		redirect.addFlashAttribute(SECTION, section);
		return "redirect:/account#" + section;
	}

}
