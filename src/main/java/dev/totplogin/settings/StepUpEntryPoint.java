package dev.totplogin.settings;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.security.Factors;
import dev.totplogin.signin.SecondFactorCode;

import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.validation.BindingResult;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.support.SessionFlashMapManager;

/**
 * Where a signed-in session goes when an account action finds no fresh proof (the entry
 * point of a missing or expired {@code FACTOR_CONFIRMED}), or when the code typed into
 * the action's form was refused: back to the form's section of the account page, with
 * every problem of the form and the reason next to its code field; for an action without
 * a code field (end a session, forget a browser, remove a key), to "Confirm it's you"
 * first; adding a key (our script's JSON request) is a 400, as a refused ceremony is.
 */
@Component
class StepUpEntryPoint implements AuthenticationEntryPoint {

	private static final SessionFlashMapManager flashMaps = new SessionFlashMapManager();

	private static final RequestMatcher keyRegistration = PathPatternRequestMatcher.withDefaults()
		.matcher("/webauthn/register/**");

	private final Clock clock;

	private final ActionForms forms;

	StepUpEntryPoint(Clock clock, ActionForms forms) {
		this.clock = clock;
		this.forms = forms;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException reason)
			throws IOException {
		if (keyRegistration.matches(request)) {
			// Our script's request: refused as a refused ceremony is, with no page in
			// answer.
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.getWriter().write("{\"success\":false}");
			return;
		}
		Optional<AccountAction> action = AccountAction.of(request);
		FlashMap flash = new FlashMap();
		String section;
		if (action.isPresent()) {
			section = action.get().section();
			// Every problem of the form at once, as its own page would show them.
			BindingResult result = this.forms.checkedSoFar(action.get(), request);
			if (reason instanceof SecondFactorCode.Refused refused) {
				AttemptMessages.rejectCode(result, "code", refused.attempt(), this.clock,
						Factors.RECOVERY_CODE.equals(refused.factor()) ? AttemptMessages.Typed.RECOVERY_CODE
								: AttemptMessages.Typed.CODE);
			}
			else if (!result.hasErrors() || !StringUtils.hasText(request.getParameter("code"))) {
				if (!result.hasFieldErrors("code")) {
					result.rejectValue("code", action.get().codeRequired());
				}
			}
			Object form = action.get().keptForm(request);
			flash.put(action.get().formName(), form);
			flash.put(BindingResult.MODEL_KEY_PREFIX + action.get().formName(),
					FailedForm.errorsOf(action.get().formName(), form, result));
		}
		else {
			section = "confirm";
			flash.put("alert", "account.confirmFirst");
			flash.put(SectionMessage.SECTION, section);
		}
		String target = request.getContextPath() + "/account";
		flash.setTargetRequestPath(target);
		flashMaps.saveOutputFlashMap(flash, request, response);
		response.sendRedirect(response.encodeRedirectURL(target + "#" + section));
	}

}
