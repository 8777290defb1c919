package dev.totplogin.security;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The one place that moves a session from one sign-in state to the next. Each step records the factor it proved
 * (with the time, from the application's clock) in a new {@link Authentication}, changes the session id and the
 * CSRF token, and saves the context.
 */
@Component
public class SignIn {

	private final SecurityContextRepository contextRepository;

	private final SessionAuthenticationStrategy sessionStrategy;

	private final Clock clock;

	private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

	private final RequestCache requestCache = new HttpSessionRequestCache();

	private final AccountRepository accounts;

	SignIn(SecurityContextRepository contextRepository, SessionAuthenticationStrategy sessionStrategy,
			AccountRepository accounts, Clock clock) {
		this.contextRepository = contextRepository;
		this.sessionStrategy = sessionStrategy;
		this.accounts = accounts;
		this.clock = clock;
	}

	/** A newly registered account: signed in with the password factor only, and must enroll. */
	public void passwordVerified(Account account, HttpServletRequest request, HttpServletResponse response) {
		AccountPrincipal principal = AccountPrincipal.of(account);
		principal.eraseCredentials();
		establish(pending(principal), request, response);
	}

	/**
	 * The form login's result, re-issued with the application clock's time on its password factor. The form login
	 * has already changed the session id.
	 */
	void passwordVerified(Authentication formLogin, HttpServletRequest request, HttpServletResponse response) {
		save(pending((AccountPrincipal) formLogin.getPrincipal()), request, response);
	}

	/** The code step succeeded: the session now holds both factors, and the account counts as enrolled. */
	public void secondFactorVerified(HttpServletRequest request, HttpServletResponse response) {
		Authentication current = this.holder.getContext().getAuthentication();
		if (!Factors.isPending(current)) {
			throw new IllegalStateException("no password step to complete");
		}
		AccountPrincipal principal = ((AccountPrincipal) current.getPrincipal()).enrolled();
		List<GrantedAuthority> authorities = new ArrayList<>();
		authorities.add(FactorGrantedAuthority.withAuthority(Factors.PASSWORD)
			.issuedAt(Factors.issuedAt(current, Factors.PASSWORD).orElseThrow())
			.build());
		authorities.add(FactorGrantedAuthority.withAuthority(Factors.TOTP).issuedAt(this.clock.instant()).build());
		authorities.add(new SimpleGrantedAuthority(Factors.ROLE_USER));
		establish(UsernamePasswordAuthenticationToken.authenticated(principal, null, authorities), request, response);
	}

	/**
	 * Where to go once both factors are proven: the page first asked for before the login, else home. The saved
	 * request was built from this application's own request URL, so this is never an open redirect.
	 */
	public String targetAfterSignIn(HttpServletRequest request, HttpServletResponse response) {
		SavedRequest saved = this.requestCache.getRequest(request, response);
		if (saved == null) {
			return "/";
		}
		this.requestCache.removeRequest(request, response);
		return saved.getRedirectUrl();
	}

	/**
	 * Ends the account's other sessions: raises its session epoch and moves this session to the new one, so every
	 * other session (on any instance) is ended at its next request.
	 */
	public void endOtherSessions(HttpServletRequest request, HttpServletResponse response) {
		Authentication current = this.holder.getContext().getAuthentication();
		AccountPrincipal principal = (AccountPrincipal) current.getPrincipal();
		this.accounts.advanceSessionEpoch(principal.accountId());
		int epoch = this.accounts.findSessionEpochById(principal.accountId()).orElseThrow();
		save(UsernamePasswordAuthenticationToken.authenticated(principal.withSessionEpoch(epoch), null,
				current.getAuthorities()), request, response);
	}

	/**
	 * What a code-step attempt leads to: signed in, on to the page first asked for; the last attempt the lockout
	 * allowed, this login ends and the person starts again at /login; otherwise nothing (the form is shown again
	 * with its message).
	 * @return the redirect to send, if the attempt ends the code step
	 */
	public Optional<String> afterCodeStep(CodeCheck check, HttpServletRequest request, HttpServletResponse response,
			RedirectAttributes redirect) {
		if (check.accepted()) {
			secondFactorVerified(request, response);
			return Optional.of("redirect:" + targetAfterSignIn(request, response));
		}
		if (check.outcome() == CodeCheck.Outcome.NOW_LOCKED) {
			end(request);
			redirect.addFlashAttribute("alert", "login.codeLocked");
			return Optional.of("redirect:/login");
		}
		return Optional.empty();
	}

	/** Ends the session from inside the filter chain and sends the person to /login with a message. */
	void endWithMessage(HttpServletRequest request, HttpServletResponse response, String messageKey)
			throws IOException {
		end(request);
		RedirectWithMessage.send(request, response, "/login", "alert", messageKey);
	}

	/** Ends the session and its authentication, e.g. when the pending state has expired. */
	public void end(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.invalidate();
		}
		this.holder.clearContext();
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
		context.setAuthentication(authentication);
		this.holder.setContext(context);
		this.contextRepository.saveContext(context, request, response);
	}

}
