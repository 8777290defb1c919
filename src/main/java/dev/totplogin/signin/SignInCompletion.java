package dev.totplogin.signin;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.AccountSessions;
import dev.totplogin.security.Assurance;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SignInState;
import dev.totplogin.trustedbrowser.TrustedBrowsers;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.support.SessionFlashMapManager;

/**
 * The one success handler of every second factor (a code, a recovery code, a security
 * key, a trusted browser): the sign-in is completed by {@link SignInState} (session id
 * and CSRF token rotated, the signed-in row, the audit line with its level), audited
 * where the factor's own service has not already, the browser trusted if the person
 * ticked "don't ask again" after a code or a key (or its trust's time of proof renewed
 * after any real second factor), and the person sent on to the page first asked for;
 * after a recovery code, home first, which says how many codes are left and offers new
 * ones (NIST SP 800-63B-4), with a link on to that page.
 */
@Component
class SignInCompletion implements AuthenticationSuccessHandler {

	/** The sign-in events the factors' own services do not record. */
	private static final Map<String, SecurityEventType> events = Map.of(Factors.WEBAUTHN,
			SecurityEventType.SECURITY_KEY_SIGN_IN, Factors.TRUSTED_BROWSER, SecurityEventType.TRUSTED_BROWSER_SIGN_IN);

	/**
	 * The flash attribute of the home page after a sign-in with a recovery code: the page
	 * to continue to.
	 */
	static final String RECOVERY_CODE_SIGN_IN = "recoveryCodeSignIn";

	private static final SessionFlashMapManager flashMaps = new SessionFlashMapManager();

	private final SignInState signInState;

	private final RequestCache requestCache;

	private final AccountSessions sessions;

	private final TrustedBrowsers trustedBrowsers;

	private final AuditLog audit;

	SignInCompletion(SignInState signInState, RequestCache requestCache, AccountSessions sessions,
			TrustedBrowsers trustedBrowsers, AuditLog audit) {
		this.signInState = signInState;
		this.requestCache = requestCache;
		this.sessions = sessions;
		this.trustedBrowsers = trustedBrowsers;
		this.audit = audit;
	}

	/** The sign-in is complete: the request goes no further down the filter chain. */
	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
			Authentication proven) throws IOException {
		onAuthenticationSuccess(request, response, proven);
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response, Authentication proven)
			throws IOException {
		response.sendRedirect(request.getContextPath() + complete(proven, request, response));
	}

	/**
	 * @param proven the password factor and the second factor just proven
	 * @return the path to go on to
	 */
	String complete(Authentication proven, HttpServletRequest request, HttpServletResponse response) {
		long accountId = ((AccountPrincipal) proven.getPrincipal()).accountId();
		String factor = Factors.SECOND_FACTORS.stream()
			.filter((second) -> Factors.issuedAt(proven, second).isPresent())
			.findFirst()
			.orElseThrow();
		if (!this.signInState.complete(proven, request, response)) {
			// Disabled or signed out since the password step: nothing more happens.
			return "/login";
		}
		boolean passkeyAlone = Factors.isPasskeySignIn(proven);
		if (passkeyAlone) {
			this.audit.record(accountId, SecurityEventType.SECURITY_KEY_SIGN_IN, "passkey");
		}
		else if (events.containsKey(factor)) {
			this.audit.record(accountId, events.get(factor));
		}
		// A browser is trusted to skip the second step after the password: never asked
		// for by a passkey's sign-in, which had no password.
		boolean trustable = !passkeyAlone && (Factors.TOTP.equals(factor) || Factors.WEBAUTHN.equals(factor));
		if (trustable && "true".equals(request.getParameter("rememberBrowser"))) {
			this.sessions.onTrustedBrowser(this.trustedBrowsers.remember(accountId, request, response));
		}
		else if (Assurance.AAL2_FACTORS.contains(factor)) {
			// A real second factor on a browser the account may trust: it may stand in
			// for the code again, within the absolute limit from now.
			this.trustedBrowsers.provenHere(accountId, request);
		}
		String target = targetAfterSignIn(request, response);
		return Factors.RECOVERY_CODE.equals(factor) ? afterRecoveryCode(target, request, response) : target;
	}

	/**
	 * Home, whose notice says how many recovery codes are left and offers new ones; the
	 * page first asked for (a path of this application) becomes its "Continue" link.
	 */
	private String afterRecoveryCode(String target, HttpServletRequest request, HttpServletResponse response) {
		FlashMap notice = new FlashMap();
		notice.put(RECOVERY_CODE_SIGN_IN, target);
		notice.setTargetRequestPath(request.getContextPath() + "/");
		flashMaps.saveOutputFlashMap(notice, request, response);
		return "/";
	}

	/**
	 * The page first asked for before the login, else home. Only its path and query are
	 * kept, so the redirect stays on this application whatever host the saved request was
	 * made with.
	 */
	private String targetAfterSignIn(HttpServletRequest request, HttpServletResponse response) {
		SavedRequest saved = this.requestCache.getRequest(request, response);
		if (saved == null) {
			return "/";
		}
		this.requestCache.removeRequest(request, response);
		String target = SavedPath.of(saved.getRedirectUrl(), request.getContextPath());
		SignInState.signedInFor(request, target);
		return target;
	}

}
