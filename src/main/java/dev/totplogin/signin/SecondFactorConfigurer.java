package dev.totplogin.signin;

import jakarta.validation.Validator;

import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SecondStep;
import dev.totplogin.security.SessionValidity;
import dev.totplogin.trustedbrowser.TrustedBrowsers;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.LogoutConfigurer;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.stereotype.Component;

/**
 * The second factors typed at the second step, added to the one filter chain as Spring
 * Security's own mechanisms are ({@code formLogin()}, {@code webAuthn()}): an
 * authentication filter each ({@link PartialAuthenticationFilter}) for the code
 * ({@code POST /verify-2fa}) and the recovery code ({@code POST /verify-2fa/recovery}),
 * with the providers of {@link SecondFactors}, and the shared success handler.
 */
@Component
class SecondFactorConfigurer extends AbstractHttpConfigurer<SecondFactorConfigurer, HttpSecurity> {

	private final SecondFactors secondFactors;

	private final SessionValidity validity;

	private final SignInCompletion completion;

	private final TrustedBrowsers trustedBrowsers;

	private final Validator validator;

	SecondFactorConfigurer(SecondFactors secondFactors, SessionValidity validity, SignInCompletion completion,
			Validator validator, TrustedBrowsers trustedBrowsers) {
		this.trustedBrowsers = trustedBrowsers;
		this.secondFactors = secondFactors;
		this.validity = validity;
		this.completion = completion;
		this.validator = validator;
	}

	/**
	 * Signing out on a trusted browser ends its stand-in for the code until the next code
	 * there: the trusted browser re-authenticates only after inactivity.
	 */
	@Override
	@SuppressWarnings("unchecked")
	public void init(HttpSecurity http) {
		LogoutConfigurer<HttpSecurity> logout = http.getConfigurer(LogoutConfigurer.class);
		if (logout != null) {
			logout.addLogoutHandler((request, response, authentication) -> {
				if (authentication != null && authentication.getPrincipal() instanceof AccountPrincipal principal) {
					this.trustedBrowsers.signedOutHere(principal.accountId(), request);
				}
			});
		}
	}

	@Override
	public void configure(HttpSecurity http) {
		AuthenticationManager providers = this.secondFactors.manager();
		// After the session's validity is checked, before authorization: a request these
		// filters leave alone meets the rules of its page.
		http.addFilterBefore(
				new PartialAuthenticationFilter(providers, this.validity, SecondStep.VERIFY, Factors.TOTP, "code",
						(typed) -> this.validator.validate(new CodeForm(typed)).isEmpty(), this.completion),
				AuthorizationFilter.class);
		http.addFilterBefore(
				new PartialAuthenticationFilter(providers, this.validity, RecoverySignInController.PATH,
						Factors.RECOVERY_CODE, "recoveryCode",
						(typed) -> this.validator.validate(new RecoveryCodeForm(typed)).isEmpty(), this.completion),
				AuthorizationFilter.class);
	}

}
