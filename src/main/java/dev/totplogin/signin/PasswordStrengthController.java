package dev.totplogin.signin;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.totplogin.account.PasswordPolicy;
import dev.totplogin.security.AccountPrincipal;

import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The live strength hint of the new-password fields: the same rules as the form itself
 * ({@link PasswordPolicy}, zxcvbn included), checked here rather than in a script of its
 * own, so that the hint and the verdict never disagree. Only the optional lookup of known
 * breaches waits for the form ({@code PasswordPolicy.checkNew}): one third-party call per
 * password chosen, none per keystroke, and this unauthenticated endpoint never relays to
 * it. A POST (the password never goes into a URL); nothing is stored or logged, so it
 * needs no CSRF token, and another site cannot read its answers (no CORS).
 */
@RestController
class PasswordStrengthController {

	private final PasswordPolicy policy;

	private final MessageSource messages;

	PasswordStrengthController(PasswordPolicy policy, MessageSource messages) {
		this.policy = policy;
		this.messages = messages;
	}

	@PostMapping("/password/strength")
	Map<String, Object> strength(@RequestParam(defaultValue = "") String password,
			@RequestParam(required = false) String username, @AuthenticationPrincipal AccountPrincipal principal,
			Locale locale) {
		// On the account page the form has no username field: the signed-in one counts.
		String owner = (username == null && principal != null) ? principal.getUsername() : username;
		// Bounded before zxcvbn runs, in code points as the policy counts: one past the
		// maximum still gets the "too long" answer.
		String bounded = (password.codePointCount(0, password.length()) > PasswordPolicy.MAX_LENGTH + 1)
				? password.substring(0, password.offsetByCodePoints(0, PasswordPolicy.MAX_LENGTH + 1)) : password;
		Optional<PasswordPolicy.Violation> violation = this.policy.check(bounded, owner);
		String message = violation.map((v) -> this.messages.getMessage(v.messageKey(), v.arguments(), locale))
			.orElseGet(() -> this.messages.getMessage("password.strong", null, locale));
		return Map.of("acceptable", violation.isEmpty(), "message", message);
	}

}
