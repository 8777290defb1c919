package dev.totplogin.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The one place that moves a session from one sign-in state to the next: nothing,
 * password proven (pending), both factors proven, ended. Each step records the factor it
 * proved (with the time, from the application's clock) in a new {@link Authentication},
 * changes the session id and the CSRF token, and saves the context.
 */
@Component
public class SignInState {

	private static final String CODE_REQUIRED = SignInState.class.getName() + ".CODE_REQUIRED";

	private static final String SIGNED_IN_FOR = SignInState.class.getName() + ".SIGNED_IN_FOR";

	private static final String SIGNING_IN_AGAIN = SignInState.class.getName() + ".SIGNING_IN_AGAIN";

	private static final String PASSKEY_ATTEMPT = SignInState.class.getName() + ".PASSKEY_ATTEMPT";

	/**
	 * The flash attribute of a message about a time limit: the limit (ISO-8601), which
	 * the sign-in page puts into the message ("after 30 minutes without activity").
	 */
	public static final String MESSAGE_DURATION = "messageDuration";

	private static final SecurityContextRepository sessionContexts = new HttpSessionSecurityContextRepository();

	private final SecurityContextRepository contextRepository;

	private final SessionAuthenticationStrategy sessionStrategy;

	private final AccountRepository accounts;

	private final Clock clock;

	private final AccountSessions sessions;

	private final SessionValidity validity;

	private final AuditLog audit;

	private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

	/**
	 * @param csrfTokenRepository the filter chain's CSRF token store
	 */
	SignInState(CsrfTokenRepository csrfTokenRepository, AccountRepository accounts, AccountSessions sessions,
			Clock clock, SessionValidity validity, AuditLog audit) {
		// What the form login does at the password step, and where the filter chain keeps
		// the context (its default).
		this.sessionStrategy = new CompositeSessionAuthenticationStrategy(List
			.of(new ChangeSessionIdAuthenticationStrategy(), new CsrfAuthenticationStrategy(csrfTokenRepository)));
		this.contextRepository = new DelegatingSecurityContextRepository(
				new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());
		this.accounts = accounts;
		this.sessions = sessions;
		this.clock = clock;
		this.validity = validity;
		this.audit = audit;
	}

	/**
	 * A newly registered account: signed in with the password factor only, new session
	 * id, and must enroll.
	 */
	public void pendingAfterRegistration(Account account, HttpServletRequest request, HttpServletResponse response) {
		AccountPrincipal principal = AccountPrincipal.of(account);
		principal.eraseCredentials();
		this.sessions.leave(request.getSession(false));
		establish(pending(principal), request, response);
	}

	/**
	 * The form login's result, re-issued with the application clock's time on its
	 * password factor. The form login has already changed the session id and the CSRF
	 * token, so this only saves.
	 */
	void pendingAfterFormLogin(Authentication formLogin, HttpServletRequest request, HttpServletResponse response) {
		this.sessions.leave(request.getSession(false));
		save(pending((AccountPrincipal) formLogin.getPrincipal()), request, response);
	}

	/**
	 * A passkey signed in on its own (no password): the factors to complete the sign-in
	 * with ({@link #complete}), {@link Factors#WEBAUTHN} and
	 * {@link Factors#USER_VERIFIED} proven now.
	 * @param synced the passkey is backup eligible ({@link Factors#SYNCED_PASSKEY})
	 */
	public Authentication provenByPasskey(Account account, boolean synced) {
		AccountPrincipal principal = AccountPrincipal.of(account);
		principal.eraseCredentials();
		Instant now = this.clock.instant();
		List<GrantedAuthority> authorities = new ArrayList<>();
		authorities.add(FactorGrantedAuthority.withAuthority(Factors.WEBAUTHN).issuedAt(now).build());
		authorities.add(FactorGrantedAuthority.withAuthority(Factors.USER_VERIFIED).issuedAt(now).build());
		if (synced) {
			authorities.add(FactorGrantedAuthority.withAuthority(Factors.SYNCED_PASSKEY).issuedAt(now).build());
		}
		return UsernamePasswordAuthenticationToken.authenticated(principal, null, authorities);
	}

	/**
	 * The first code of an enrollment, proven on its own page: completes the pending
	 * sign-in as
	 * {@link #complete(Authentication, HttpServletRequest, HttpServletResponse)} does
	 * (enrollment then shows the recovery codes, not the page first asked for).
	 * @param factor one of {@link Factors#SECOND_FACTORS}
	 */
	public boolean secondFactorProven(String factor, HttpServletRequest request, HttpServletResponse response) {
		return complete(Factors.with(this.holder.getContext().getAuthentication(), factor, this.clock.instant()),
				request, response);
	}

	/**
	 * The one way a sign-in completes, whichever second factor proved it (the success
	 * handler of every second-factor mechanism ends here): the session gets its row in
	 * {@link AccountSessions} (the principal keeps its reference) with what it proved, a
	 * new session id and CSRF token, the authentication with both factors, and the audit
	 * line with its assurance level.
	 * <p>
	 * The session store keeps it until the absolute limit: the idle timeout is ours
	 * ({@link SessionValidity}, on the application's clock, on every instance), so Spring
	 * Session's own inactivity timeout (server.servlet.session.timeout, for sessions not
	 * signed in) must not drop it first, silently, before our check can say why it ended.
	 * <p>
	 * An account disabled, or whose sessions were ended, since the password step does not
	 * complete: the session ends, and /login says so as it would at the next request.
	 * @param proven the pending sign-in's factors and the second one just proven
	 * @return false if the sign-in was ended instead: the caller sends the person to
	 * /login (its message is saved)
	 */
	public boolean complete(Authentication proven, HttpServletRequest request, HttpServletResponse response) {
		Optional<Assurance> assurance = Assurance.of(proven);
		if (assurance.isEmpty() || !(proven.getPrincipal() instanceof AccountPrincipal pending)) {
			throw new IllegalStateException("no second factor to complete a sign-in with");
		}
		Instant expiresAt = this.validity.endsAt(proven);
		Optional<String> row = this.sessions.start(pending.accountId(), pending.sessionEpoch(), request.getSession(),
				proven, expiresAt);
		if (row.isEmpty()) {
			end(request);
			SessionValidity.Outlived outlived = SessionValidity.Outlived.SIGNED_OUT_ELSEWHERE;
			RedirectWithMessage.save(request, response, "/login", outlived.kind(), outlived.messageKey());
			return false;
		}
		AccountPrincipal principal = pending.signedIn(row.get());
		request.getSession().removeAttribute(CODE_REQUIRED);
		request.getSession().removeAttribute(SIGNING_IN_AGAIN);
		establish(UsernamePasswordAuthenticationToken.authenticated(principal, null, proven.getAuthorities()), request,
				response);
		Duration untilLimit = Duration.between(this.clock.instant(), expiresAt).plus(AccountSessions.TOUCH_INTERVAL);
		request.getSession().setMaxInactiveInterval((int) Math.max(untilLimit.toSeconds(), 60));
		this.audit.record(pending.accountId(), SecurityEventType.SIGNED_IN,
				assurance.get().level() + " " + assurance.get().amrText());
		return true;
	}

	/**
	 * A signed-in session confirmed it is its owner (a code or a key on the account
	 * page): its authentication, with the factor re-issued, is kept for its next
	 * requests.
	 * @param confirmed the session's authentication with the factor's new
	 * {@code issuedAt}
	 */
	public void confirmed(Authentication confirmed, HttpServletRequest request, HttpServletResponse response) {
		if (!(confirmed.getPrincipal() instanceof AccountPrincipal principal) || principal.signedInSession() == null) {
			throw new IllegalStateException("only a signed-in session confirms");
		}
		save(confirmed, request, response);
	}

	/**
	 * A factor was refused: Spring Security's authentication filters clear the request's
	 * security context then, but the session's sign-in is as it was, so it is put back
	 * for the rest of the request (the page that says why).
	 */
	public static void keepAfterRefusal(HttpServletRequest request) {
		SecurityContextHolder.getContextHolderStrategy().setContext(sessionContexts.loadDeferredContext(request).get());
	}

	/**
	 * Ends the account's other sessions: raises its session epoch in the database and
	 * moves this session to the new one, so every other session (on any instance) is
	 * ended at its next request by {@link SessionValidityFilter}.
	 */
	public void endOtherSessions(HttpServletRequest request, HttpServletResponse response) {
		Authentication current = this.holder.getContext().getAuthentication();
		AccountPrincipal principal = (AccountPrincipal) current.getPrincipal();
		this.accounts.advanceSessionEpoch(principal.accountId());
		int epoch = this.accounts.findSessionEpochById(principal.accountId()).orElseThrow();
		this.sessions.keepOnly(principal.accountId(), principal.signedInSession(), epoch);
		save(UsernamePasswordAuthenticationToken.authenticated(principal.withSessionEpoch(epoch), null,
				current.getAuthorities()), request, response);
	}

	/**
	 * Ends a session that has outlived its sign-in and sends the person to /login with
	 * why; a time limit is audited (other sessions ended it otherwise, and that was).
	 * @param limit the time limit it was ended by, for the message, or null
	 */
	void endOutlived(HttpServletRequest request, HttpServletResponse response, SessionValidity.Outlived outlived,
			Duration limit) throws IOException {
		Authentication current = this.holder.getContext().getAuthentication();
		if (limit != null && current != null && current.getPrincipal() instanceof AccountPrincipal principal) {
			this.audit.record(principal.accountId(), SecurityEventType.SESSION_TIMED_OUT,
					((outlived == SessionValidity.Outlived.IDLE) ? "idle " : "absolute ") + shortText(limit));
		}
		end(request);
		if (limit == null) {
			RedirectWithMessage.send(request, response, "/login", outlived.kind(), outlived.messageKey());
		}
		else {
			RedirectWithMessage.send(request, response, "/login", outlived.kind(), outlived.messageKey(),
					MESSAGE_DURATION, limit.toString());
		}
	}

	/**
	 * Ends the session from inside the filter chain and sends the person to /login with a
	 * message.
	 */
	void endWithMessage(HttpServletRequest request, HttpServletResponse response, String messageKey)
			throws IOException {
		endWithMessage(request, response, "alert", messageKey);
	}

	/**
	 * @param kind {@code alert} for a problem, {@code info} for a notice (e.g. signed out
	 * from another session: nothing went wrong here)
	 */
	public void endWithMessage(HttpServletRequest request, HttpServletResponse response, String kind, String messageKey)
			throws IOException {
		end(request);
		RedirectWithMessage.send(request, response, "/login", kind, messageKey);
	}

	/**
	 * Another application asked for a fresher or stronger sign-in than this session's
	 * ({@code max_age}, {@code prompt=login}, {@code acr_values} at the OpenID Connect
	 * provider): the person signs in again, from the password, and comes back to the
	 * request the caller saved. Until the new password is proven the session stays signed
	 * in as it was (a link from anywhere cannot sign anyone out); its signed-in row stays
	 * through the new sign-in (the applications it signed in to stay signed in) unless
	 * someone else signs in.
	 * @param codeRequired a trusted browser must not stand in for the code this time
	 */
	public void reauthenticate(HttpServletRequest request, HttpServletResponse response, boolean codeRequired)
			throws IOException {
		Authentication current = this.holder.getContext().getAuthentication();
		if (current != null && current.getPrincipal() instanceof AccountPrincipal principal) {
			this.sessions.keepThroughSignIn(request.getSession(), principal.accountId());
		}
		request.getSession().setAttribute(SIGNING_IN_AGAIN, Boolean.TRUE);
		if (codeRequired) {
			request.getSession().setAttribute(CODE_REQUIRED, Boolean.TRUE);
		}
		RedirectWithMessage.send(request, response, "/login", "info", "login.again");
	}

	/**
	 * Whether this signed-in session was asked to sign in again
	 * ({@link #reauthenticate}): the login form is shown to it.
	 */
	public static boolean isSigningInAgain(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		return session != null && Boolean.TRUE.equals(session.getAttribute(SIGNING_IN_AGAIN));
	}

	/**
	 * This sign-in was made for the page first asked for, where it now goes: that page
	 * may take the sign-in as newer than its own request ({@link #isSignInFor}).
	 */
	public static void signedInFor(HttpServletRequest request, String target) {
		request.getSession().setAttribute(SIGNED_IN_FOR, target);
	}

	/**
	 * Whether this request is the page the session's last sign-in was made for, come back
	 * to: once only (the OpenID Connect provider's {@code max_age=0} is then answered by
	 * that sign-in, not asked again).
	 */
	public static boolean isSignInFor(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session == null || !(session.getAttribute(SIGNED_IN_FOR) instanceof String target)) {
			return false;
		}
		String here = request.getRequestURI().substring(request.getContextPath().length())
				+ ((request.getQueryString() != null) ? "?" + request.getQueryString() : "");
		if (!here.equals(target)) {
			return false;
		}
		session.removeAttribute(SIGNED_IN_FOR);
		return true;
	}

	/**
	 * Marks the current request as a passkey's attempt to sign in on its own (no
	 * password): a lock it causes is told to the person as such, not as a leaked password
	 * or a read mailbox.
	 */
	public static void markPasskeyAttempt() {
		RequestContextHolder.currentRequestAttributes()
			.setAttribute(PASSKEY_ATTEMPT, Boolean.TRUE, RequestAttributes.SCOPE_REQUEST);
	}

	/** Whether the current request is a passkey's attempt to sign in on its own. */
	public static boolean isPasskeyAttempt() {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		return request != null && request.getAttribute(PASSKEY_ATTEMPT, RequestAttributes.SCOPE_REQUEST) != null;
	}

	/**
	 * Whether this sign-in must prove a code (or a key) even on a trusted browser:
	 * another application asked for it.
	 */
	public static boolean codeRequired(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		return session != null && Boolean.TRUE.equals(session.getAttribute(CODE_REQUIRED));
	}

	/**
	 * Ends the session and its authentication, e.g. when the pending state has expired.
	 */
	public void end(HttpServletRequest request) {
		Authentication current = this.holder.getContext().getAuthentication();
		if (current != null && current.getPrincipal() instanceof AccountPrincipal principal
				&& principal.signedInSession() != null) {
			this.sessions.ended(principal.signedInSession());
		}
		HttpSession session = request.getSession(false);
		if (session != null) {
			// A sign-in again given up: the row it kept ends with the session.
			this.sessions.endKept(session);
			session.invalidate();
		}
		this.holder.clearContext();
	}

	/** {@code 30m}, {@code 12h}: for the audit line. */
	private static String shortText(Duration limit) {
		return (limit.toMinutes() % 60 == 0) ? limit.toHours() + "h" : limit.toMinutes() + "m";
	}

	private Authentication pending(AccountPrincipal principal) {
		List<GrantedAuthority> authorities = List
			.of(FactorGrantedAuthority.withAuthority(Factors.PASSWORD).issuedAt(this.clock.instant()).build());
		return UsernamePasswordAuthenticationToken.authenticated(principal, null, authorities);
	}

	private void establish(Authentication authentication, HttpServletRequest request, HttpServletResponse response) {
		this.sessionStrategy.onAuthentication(authentication, request, response);
		save(authentication, request, response);
	}

	private void save(Authentication authentication, HttpServletRequest request, HttpServletResponse response) {
		SecurityContext context = this.holder.createEmptyContext();
		if (authentication != null) {
			context.setAuthentication(authentication);
		}
		this.holder.setContext(context);
		this.contextRepository.saveContext(context, request, response);
	}

}
