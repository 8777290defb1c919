package dev.totplogin.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import dev.totplogin.security.Factors;
import dev.totplogin.security.SignIn;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/** Sign-up. A new account is signed in with its password only and goes straight to authenticator setup. */
@Controller
class RegistrationController {

	private static final String VIEW = "register";

	private final AccountService accounts;

	private final PasswordPolicy passwordPolicy;

	private final SignIn signIn;

	RegistrationController(AccountService accounts, PasswordPolicy passwordPolicy, SignIn signIn) {
		this.accounts = accounts;
		this.passwordPolicy = passwordPolicy;
		this.signIn = signIn;
	}

	@GetMapping("/register")
	String registrationPage(Authentication authentication, Model model) {
		if (Factors.isFullyAuthenticated(authentication)) {
			return "redirect:/";
		}
		model.addAttribute("registrationForm", RegistrationForm.empty());
		return VIEW;
	}

	@PostMapping("/register")
	String register(@Valid @ModelAttribute RegistrationForm registrationForm, BindingResult result,
			HttpServletRequest request, HttpServletResponse response) {
		if (!result.hasFieldErrors("password")) {
			this.passwordPolicy.check(registrationForm.password(), registrationForm.username())
				.ifPresent((violation) -> result.rejectValue("password", violation.messageKey(), violation.arguments(),
						null));
		}
		if (!result.hasFieldErrors("password") && !result.hasFieldErrors("confirmPassword")
				&& !registrationForm.password().equals(registrationForm.confirmPassword())) {
			result.rejectValue("confirmPassword", "confirmPassword.mismatch");
		}
		if (result.hasErrors()) {
			return VIEW;
		}
		try {
			Account account = this.accounts.register(registrationForm.username(), registrationForm.password());
			this.signIn.passwordVerified(account, request, response);
			return "redirect:/setup-2fa";
		}
		catch (AccountService.UsernameTakenException ex) {
			result.rejectValue("username", "username.taken");
			return VIEW;
		}
	}

}
