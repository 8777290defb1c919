package dev.totplogin.signin;

import java.time.Clock;

import dev.totplogin.recovery.RecoveryCodes;
import dev.totplogin.security.Factors;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;

/**
 * A recovery code in place of the phone's code: {@link RecoveryCodes#use} takes one
 * attempt from the same second-factor budget and uses the code up (one conditional
 * {@code UPDATE}); accepted, the session has proven {@code FACTOR_RECOVERY_CODE}.
 */
final class RecoveryCodeAuthenticationProvider implements AuthenticationProvider {

	private final RecoveryCodes recoveryCodes;

	private final Clock clock;

	RecoveryCodeAuthenticationProvider(RecoveryCodes recoveryCodes, Clock clock) {
		this.recoveryCodes = recoveryCodes;
		this.clock = clock;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		SecondFactorCode code = (SecondFactorCode) authentication;
		if (!Factors.RECOVERY_CODE.equals(code.factor())) {
			return null;
		}
		return code.proven(this.recoveryCodes.use(code.accountId(), code.getCredentials()), this.clock);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return SecondFactorCode.class.isAssignableFrom(authentication);
	}

}
