package dev.totplogin.settings;

import java.util.Arrays;

import jakarta.servlet.http.HttpServletRequest;

import dev.totplogin.hashing.Busy;
import dev.totplogin.hashing.PasswordHashingBusyException;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SignInState;
import dev.totplogin.security.StepUp;
import dev.totplogin.signin.SecondFactorCode;
import dev.totplogin.signin.SecondFactors;
import dev.totplogin.totp.CodeFormat;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * "Confirm it's you" as an authentication mechanism of a signed-in session: the code of
 * "Confirm" on the account page, or the code typed into an action's own form, goes to the
 * same providers as at sign-in ({@link SecondFactors}: the account's second-factor
 * budget, replay protection); accepted, it issues {@code FACTOR_CONFIRMED} with the
 * current time, kept for the next {@code app.security.fresh-proof}, and the request goes
 * on to its action, which the step-up rule ({@code security.StepUp}) now lets through.
 * Moving to a new phone also takes a recovery code, which confirms that one request only.
 * A refused code goes to {@link StepUpEntryPoint}, which says why; a request without a
 * code meets the rule as it is, and its entry point when the session has no fresh proof.
 */
@Component
class StepUpConfigurer extends AbstractHttpConfigurer<StepUpConfigurer, HttpSecurity> {

	private static final RequestMatcher actions = new OrRequestMatcher(
			Arrays.stream(AccountAction.values()).map(AccountAction::matcher).toList());

	private final SecondFactors secondFactors;

	private final SignInState signInState;

	private final StepUpEntryPoint entryPoint;

	private final ActionForms forms;

	private final StepUp stepUp;

	StepUpConfigurer(SecondFactors secondFactors, SignInState signInState, StepUpEntryPoint entryPoint,
			ActionForms forms, StepUp stepUp) {
		this.stepUp = stepUp;
		this.secondFactors = secondFactors;
		this.signInState = signInState;
		this.entryPoint = entryPoint;
		this.forms = forms;
	}

	@Override
	public void init(HttpSecurity http) {
		// A signed-in session without fresh proof: back to the action's form (a pending
		// one goes to its second step, as the filter chain's own entry point says).
		RequestMatcher signedIn = (request) -> Factors.isFullyAuthenticated(current());
		http.exceptionHandling((exceptions) -> {
			exceptions.defaultDeniedHandlerForMissingAuthority(
					(entryPoints) -> entryPoints.addEntryPointFor(this.entryPoint, signedIn), Factors.CONFIRMED);
		});
	}

	@Override
	public void configure(HttpSecurity http) {
		AuthenticationFilter confirm = new AuthenticationFilter(this.secondFactors.manager(), this::convert);
		confirm.setRequestMatcher(actions);
		confirm.setMfaEnabled(true);
		// Confirmed: the chain goes on to the action. A code from the app is kept
		// as fresh proof for the next ones; a recovery code confirms this request
		// alone.
		confirm.setSuccessHandler((request, response, proven) -> {
			Authentication confirmed = this.stepUp.confirmedNow(proven);
			if (Factors.TOTP.equals(factorOf(request))) {
				this.signInState.confirmed(confirmed, request, response);
			}
			else {
				SecurityContext context = SecurityContextHolder.getContextHolderStrategy().createEmptyContext();
				context.setAuthentication(confirmed);
				SecurityContextHolder.getContextHolderStrategy().setContext(context);
			}
		});
		confirm.setFailureHandler((request, response, refused) -> {
			if (refused instanceof PasswordHashingBusyException) {
				// The current password could not be checked now: "busy", as elsewhere.
				Busy.respond(response);
				return;
			}
			SignInState.keepAfterRefusal(request);
			this.entryPoint.commence(request, response, refused);
		});
		http.addFilterBefore(confirm, AuthorizationFilter.class);
	}

	/**
	 * A code typed into a form of a signed-in session; nothing (the request goes on as it
	 * is) for an empty field, a pending sign-in, a code of the wrong form, or a form that
	 * fails its own checks or the current password's (its code is then neither checked
	 * nor counted, as before).
	 */
	private Authentication convert(HttpServletRequest request) {
		Authentication current = current();
		String typed = request.getParameter("code");
		if (!StringUtils.hasText(typed) || !Factors.isFullyAuthenticated(current)
				|| !(current.getPrincipal() instanceof AccountPrincipal principal)
				|| this.forms.checked(request).orElseThrow().hasErrors()) {
			return null;
		}
		String factor = factorOf(request);
		if (Factors.TOTP.equals(factor) && !CodeFormat.looksLikeCode(typed)) {
			return null;
		}
		return new SecondFactorCode(principal, factor, typed);
	}

	/** A code from the app; or, where the old phone may be gone, a recovery code. */
	private static String factorOf(HttpServletRequest request) {
		return AccountAction.NEW_PHONE.matcher().matches(request) ? SecondFactors.factorOf(request.getParameter("code"))
				: Factors.TOTP;
	}

	private static Authentication current() {
		return SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
	}

}
