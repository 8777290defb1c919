package dev.totplogin.oidc;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SecondStep;
import dev.totplogin.security.SignInState;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.savedrequest.RequestCache;

/**
 * Where an authorization request goes when the session cannot be given a code yet
 * ({@link AuthorizeRule}): to the sign-in that is missing, and back to the request after
 * it (the application's request cache, as for any page). Someone not signed in goes to
 * {@code /login}, a pending sign-in to its second step, a session too old or too weak for
 * what the client asked signs in again. With {@code prompt=none} no page is shown: the
 * client gets {@code login_required} or {@code interaction_required} at its redirect URI
 * (already checked against the client's by then).
 */
final class SignInFirst implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final RequestCache requestCache;

	private final SignInState signInState;

	SignInFirst(RequestCache requestCache, SignInState signInState) {
		this.requestCache = requestCache;
		this.signInState = signInState;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException missing)
			throws IOException {
		if (noPrompt(request)) {
			answerClient(request, response, "login_required");
			return;
		}
		this.requestCache.saveRequest(request, response);
		response.sendRedirect(request.getContextPath() + "/login");
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		AuthorizeRule.Missing missing = (denied instanceof AuthorizationDeniedException authorization
				&& authorization.getAuthorizationResult() instanceof AuthorizeRule.Denied rule) ? rule.missing()
						: AuthorizeRule.Missing.SIGN_IN;
		if (noPrompt(request)) {
			answerClient(request, response,
					(missing == AuthorizeRule.Missing.SIGN_IN) ? "login_required" : "interaction_required");
			return;
		}
		this.requestCache.saveRequest(request, response);
		Authentication authentication = SecurityContextHolder.getContextHolderStrategy()
			.getContext()
			.getAuthentication();
		if (missing == AuthorizeRule.Missing.SIGN_IN) {
			boolean pending = Factors.isPending(authentication);
			boolean enrolled = authentication != null
					&& authentication.getPrincipal() instanceof AccountPrincipal principal && principal.totpEnabled();
			response.sendRedirect(request.getContextPath() + (pending ? SecondStep.pageOf(enrolled) : "/login"));
			return;
		}
		this.signInState.reauthenticate(request, response, missing == AuthorizeRule.Missing.STRONGER_SIGN_IN);
	}

	private static boolean noPrompt(HttpServletRequest request) {
		return AuthorizeRule.prompts(request).contains("none") && request.getParameter("redirect_uri") != null;
	}

	/**
	 * An OAuth error at the client's redirect URI, which Spring Security's pre-validating
	 * filter has matched against the client's registered ones before any of this runs.
	 */
	private static void answerClient(HttpServletRequest request, HttpServletResponse response, String error)
			throws IOException {
		String redirectUri = request.getParameter("redirect_uri");
		StringBuilder uri = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?')
			.append("error=")
			.append(error);
		if (request.getParameter("state") != null) {
			uri.append("&state=").append(URLEncoder.encode(request.getParameter("state"), StandardCharsets.UTF_8));
		}
		response.sendRedirect(uri.toString());
	}

}
