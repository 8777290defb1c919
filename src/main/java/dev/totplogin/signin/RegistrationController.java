package dev.totplogin.signin;

import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountService;
import dev.totplogin.account.HashedPassword;
import dev.totplogin.account.NewPasswordValidator;
import dev.totplogin.account.PasswordPolicy;
import dev.totplogin.audit.ClientAddress;
import dev.totplogin.lockout.RateLimits;
import dev.totplogin.mail.EmailAddresses;
import dev.totplogin.mail.MailProperties;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SecondStep;
import dev.totplogin.security.SignInState;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * Sign-up. A new account is signed in with its password only and goes straight to
 * authenticator setup.
 */
@Controller
class RegistrationController {

	private static final String VIEW = "register";

	private final AccountService accounts;

	private final NewPasswordValidator<RegistrationForm> passwordRules;

	private final SignInState signInState;

	private final RateLimits rateLimits;

	private final RegistrationLimitProperties limit;

	private final EmailAddresses addresses;

	private final MailProperties mail;

	private final TransactionTemplate transaction;

	RegistrationController(AccountService accounts, PasswordPolicy passwordPolicy, SignInState signInState,
			RateLimits rateLimits, RegistrationLimitProperties limit, EmailAddresses addresses, MailProperties mail,
			TransactionTemplate transaction) {
		this.addresses = addresses;
		this.mail = mail;
		this.transaction = transaction;
		this.accounts = accounts;
		this.passwordRules = new NewPasswordValidator<>(passwordPolicy, RegistrationForm.class, "password",
				RegistrationForm::password, RegistrationForm::confirmPassword, RegistrationForm::username);
		this.signInState = signInState;
		this.rateLimits = rateLimits;
		this.limit = limit;
	}

	@InitBinder("registrationForm")
	void bindPasswordRules(WebDataBinder binder) {
		binder.addValidators(this.passwordRules);
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
		if (result.hasErrors()) {
			return VIEW;
		}
		// Every well-formed attempt counts, a taken name too: one client cannot probe
		// names or fill the table.
		if (!this.rateLimits.tryHit("register:" + ClientAddress.keyOf(request.getRemoteAddr()),
				this.limit.perIpPerHour(), Duration.ofHours(1))) {
			result.reject("register.limited");
			response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
			return VIEW;
		}
		// Hashed before the transaction: no connection is held while waiting for a turn
		// to hash, or hashing.
		HashedPassword password = this.accounts.hash(registrationForm.password());
		try {
			Account account = this.transaction.execute((status) -> {
				Account registered = this.accounts.register(registrationForm.username(), password);
				if (registrationForm.email() != null && this.mail.enabled()) {
					this.addresses.addedAtRegistration(registered.getId(), registrationForm.email());
				}
				return registered;
			});
			this.signInState.pendingAfterRegistration(account, request, response);
			return "redirect:" + SecondStep.SETUP;
		}
		catch (AccountService.UsernameTakenException ex) {
			result.rejectValue("username", "username.taken");
			return VIEW;
		}
	}

}
