package dev.totplogin.signin;

import java.time.Clock;

import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.recovery.RecoveryCodes;
import dev.totplogin.security.Factors;
import dev.totplogin.totp.CodeFormat;
import dev.totplogin.totp.TotpService;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.stereotype.Component;

/**
 * The providers of the typed second factors (a code, a recovery code) behind one
 * {@link AuthenticationManager}, for every filter that takes one: the second step of a
 * sign-in, and the confirmation of a signed-in session. Not an
 * {@code AuthenticationManager} bean: the password step's provider stays the only one the
 * application's own manager knows.
 */
@Component
public class SecondFactors {

	private final ProviderManager manager;

	private final TotpService totp;

	private final RecoveryCodes recoveryCodes;

	SecondFactors(TotpService totp, RecoveryCodes recoveryCodes, Clock clock) {
		this.totp = totp;
		this.recoveryCodes = recoveryCodes;
		this.manager = new ProviderManager(new TotpAuthenticationProvider(totp, clock),
				new RecoveryCodeAuthenticationProvider(recoveryCodes, clock));
	}

	public AuthenticationManager manager() {
		return this.manager;
	}

	/**
	 * The factor that what was typed would prove where either kind will do (a code from
	 * the app, or else a recovery code).
	 */
	public static String factorOf(String typed) {
		return CodeFormat.looksLikeCode(typed) ? Factors.TOTP : Factors.RECOVERY_CODE;
	}

	/**
	 * A code from the app, or else one recovery code (used up), for an account without a
	 * session to add it to (a password reset); both count towards the same lockout.
	 */
	public AttemptResult check(long accountId, String typed) {
		return Factors.TOTP.equals(factorOf(typed)) ? this.totp.verify(accountId, typed)
				: this.recoveryCodes.use(accountId, typed);
	}

}
