package dev.totplogin.signin;

import java.time.Clock;

import dev.totplogin.security.Factors;
import dev.totplogin.totp.TotpService;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;

/**
 * An authenticator code at the second step: {@link TotpService#verify} takes one attempt
 * from the account's second-factor budget (refused while it is locked), checks the codes
 * of the steps around now against the decrypted secret and accepts a step only once (one
 * conditional {@code UPDATE}); accepted, the session has proven {@code FACTOR_TOTP}.
 */
final class TotpAuthenticationProvider implements AuthenticationProvider {

	private final TotpService totp;

	private final Clock clock;

	TotpAuthenticationProvider(TotpService totp, Clock clock) {
		this.totp = totp;
		this.clock = clock;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		SecondFactorCode code = (SecondFactorCode) authentication;
		if (!Factors.TOTP.equals(code.factor())) {
			return null;
		}
		return code.proven(this.totp.verify(code.accountId(), code.getCredentials()), this.clock);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return SecondFactorCode.class.isAssignableFrom(authentication);
	}

}
