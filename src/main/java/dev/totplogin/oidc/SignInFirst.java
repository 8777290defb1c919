package dev.totplogin.oidc;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.Assurance;
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
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.savedrequest.RequestCache;

/**
 * Where an authorization request goes when the session cannot be given a code yet
 * ({@link AuthorizeRule}): to the sign-in that is missing, and back to the request after
 * it (the application's request cache, as for any page). Someone not signed in goes to
 * {@code /login}, a pending sign-in to its second step, a session too old or too weak for
 * what the client asked signs in again. With {@code prompt=none} no page is shown: the
 * client gets {@code login_required} or {@code interaction_required} at its redirect URI,
 * only ever one Spring Security has checked against the client's.
 */
final class SignInFirst implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final RequestCache requestCache;

	private final SignInState signInState;

	private final RegisteredClientRepository clients;

	SignInFirst(RequestCache requestCache, SignInState signInState, RegisteredClientRepository clients) {
		this.requestCache = requestCache;
		this.signInState = signInState;
		this.clients = clients;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException missing)
			throws IOException {
		if (noPrompt(request)) {
			this.answerClient(request, response, "login_required");
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
			this.answerClient(request, response,
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
		// The code is asked whenever the client asked for aal2, also with max_age or
		// prompt=login: a trusted browser must not end that sign-in at aal1.
		boolean codeRequired = AuthorizeRule.requiredLevel(request).filter(Assurance.AAL2::equals).isPresent();
		this.signInState.reauthenticate(request, response, codeRequired);
	}

	private static boolean noPrompt(HttpServletRequest request) {
		return AuthorizeRule.prompts(request).contains("none");
	}

	/**
	 * An OAuth error at the client's redirect URI: only the one Spring Security's
	 * pre-validating filter has checked against the client's registered ones (it leaves
	 * the checked request as an attribute); without it (a request it did not check, e.g.
	 * one with {@code request_uri}), a 400 here, never a redirect to a URI nobody
	 * checked.
	 */
	/**
	 * The redirect URI of the request Spring Security's filter checked (it sets the
	 * attribute only once the client, redirect URI, scope and PKCE passed), or the
	 * client's only one if the request named none.
	 */
	private String checkedRedirectUri(HttpServletRequest request) {
		if (!(request.getAttribute(OAuth2AuthorizationCodeRequestAuthenticationToken.class
			.getName()) instanceof OAuth2AuthorizationCodeRequestAuthenticationToken checked)) {
			return null;
		}
		if (checked.getRedirectUri() != null) {
			return checked.getRedirectUri();
		}
		RegisteredClient client = this.clients.findByClientId(checked.getClientId());
		return (client != null && client.getRedirectUris().size() == 1) ? client.getRedirectUris().iterator().next()
				: null;
	}

	private void answerClient(HttpServletRequest request, HttpServletResponse response, String error)
			throws IOException {
		String redirectUri = checkedRedirectUri(request);
		if (redirectUri == null) {
			response.sendError(HttpServletResponse.SC_BAD_REQUEST);
			return;
		}
		StringBuilder uri = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?')
			.append("error=")
			.append(error);
		if (request.getParameter("state") != null) {
			uri.append("&state=").append(URLEncoder.encode(request.getParameter("state"), StandardCharsets.UTF_8));
		}
		response.sendRedirect(uri.toString());
	}

}
