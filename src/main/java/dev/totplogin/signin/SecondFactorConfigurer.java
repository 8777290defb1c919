package dev.totplogin.signin;

import java.time.Clock;

import jakarta.validation.Validator;

import dev.totplogin.recovery.RecoveryCodes;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SecondStep;
import dev.totplogin.security.SessionValidity;
import dev.totplogin.totp.TotpService;

import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.stereotype.Component;

/**
 * The second factors typed at the second step, added to the one filter chain as Spring
 * Security's own mechanisms are ({@code formLogin()}, {@code webAuthn()}): an
 * authentication filter each ({@link PartialAuthenticationFilter}) for the code
 * ({@code POST /verify-2fa}) and the recovery code ({@code POST /verify-2fa/recovery}),
 * each with its provider, and the shared success handler. Their providers are not beans:
 * the password step's provider stays the only one the application's authentication
 * manager knows.
 */
@Component
class SecondFactorConfigurer extends AbstractHttpConfigurer<SecondFactorConfigurer, HttpSecurity> {

	private final TotpService totp;

	private final RecoveryCodes recoveryCodes;

	private final SessionValidity validity;

	private final SignInCompletion completion;

	private final Validator validator;

	private final Clock clock;

	SecondFactorConfigurer(TotpService totp, RecoveryCodes recoveryCodes, SessionValidity validity,
			SignInCompletion completion, Validator validator, Clock clock) {
		this.totp = totp;
		this.recoveryCodes = recoveryCodes;
		this.validity = validity;
		this.completion = completion;
		this.validator = validator;
		this.clock = clock;
	}

	@Override
	public void configure(HttpSecurity http) {
		ProviderManager providers = new ProviderManager(new TotpAuthenticationProvider(this.totp, this.clock),
				new RecoveryCodeAuthenticationProvider(this.recoveryCodes, this.clock));
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
