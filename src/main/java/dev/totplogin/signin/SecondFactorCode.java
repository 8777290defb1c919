package dev.totplogin.signin;

import java.io.Serial;
import java.time.Clock;
import java.util.List;

import dev.totplogin.lockout.AttemptResult;
import dev.totplogin.security.AccountPrincipal;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * A typed second factor (an authenticator code or a recovery code) of {@code principal}'s
 * sign-in, pending or to be confirmed: what a filter hands to the providers of
 * {@link SecondFactors}.
 */
public final class SecondFactorCode extends AbstractAuthenticationToken {

	@Serial
	private static final long serialVersionUID = 1L;

	private final AccountPrincipal principal;

	/** The factor authority the code proves, one of {@code Factors.SECOND_FACTORS}. */
	private final String factor;

	private String typed;

	public SecondFactorCode(AccountPrincipal principal, String factor, String typed) {
		super(List.of());
		this.principal = principal;
		this.factor = factor;
		this.typed = typed;
		setAuthenticated(false);
	}

	public String factor() {
		return this.factor;
	}

	long accountId() {
		return this.principal.accountId();
	}

	@Override
	public String getCredentials() {
		return this.typed;
	}

	@Override
	public AccountPrincipal getPrincipal() {
		return this.principal;
	}

	@Override
	public void eraseCredentials() {
		this.typed = null;
	}

	/**
	 * What the provider answers once the code is checked: the factor with the time it was
	 * proven (the filter adds it to the password factor the session holds), or
	 * {@link Refused} with the reason.
	 */
	Authentication proven(AttemptResult attempt, Clock clock) {
		if (!attempt.accepted()) {
			throw new Refused(attempt, this.factor);
		}
		return UsernamePasswordAuthenticationToken.authenticated(this.principal, null,
				List.of(FactorGrantedAuthority.withAuthority(this.factor).issuedAt(clock.instant()).build()));
	}

	/** A code refused by the lockout or the check, with what the page says about it. */
	public static final class Refused extends BadCredentialsException {

		@Serial
		private static final long serialVersionUID = 1L;

		private final transient AttemptResult attempt;

		private final String factor;

		Refused(AttemptResult attempt, String factor) {
			super("second factor refused");
			this.attempt = attempt;
			this.factor = factor;
		}

		/** The factor the refused code would have proven. */
		public String factor() {
			return this.factor;
		}

		public AttemptResult attempt() {
			return this.attempt;
		}

	}

}
