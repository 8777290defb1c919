package dev.totplogin.admin;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.totplogin.account.AccountRepository;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.Assurance;
import dev.totplogin.security.Factors;
import dev.totplogin.security.SecurityHeaders;
import dev.totplogin.security.StepUp;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.support.SessionFlashMapManager;

/**
 * The console's rule, as a mechanism of the one filter chain (added like the other
 * packages' configurers), for every {@code /admin} route whatever its handler, so that a
 * new route cannot be left open: a client outside {@code app.admin.allowed-networks} gets
 * 404 before anything else; after the chain's own rule (a complete sign-in), the account
 * must hold the role ADMIN, read from its row at this request (a revoke holds at the next
 * request, no role cached in the session), else 403; the session must be {@code aal2} (a
 * trusted browser's sign-in is {@code aal1}: 403 with a page that says to sign in with
 * the code); and every action (POST) needs a code confirmed within
 * {@code app.admin.fresh-proof} ({@link StepUp} with that duration), else it goes to the
 * console's "confirm it's you".
 */
@Component
class AdminGate extends AbstractHttpConfigurer<AdminGate, HttpSecurity> {

	/** The request attribute the error page shows a message key of ({@code web}). */
	static final String ERROR_REASON = "errorReason";

	static final RequestMatcher CONSOLE = PathPatternRequestMatcher.withDefaults().matcher(SecurityHeaders.ADMIN_PATHS);

	static final String CONFIRM = "/admin/confirm";

	private static final RequestMatcher confirm = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.POST, CONFIRM);

	private static final SessionFlashMapManager flashMaps = new SessionFlashMapManager();

	private final AccountRepository accounts;

	private final StepUp stepUp;

	private final AdminProperties properties;

	AdminGate(AccountRepository accounts, StepUp stepUp, AdminProperties properties) {
		this.accounts = accounts;
		this.stepUp = stepUp;
		this.properties = properties;
	}

	@Override
	public void configure(HttpSecurity http) {
		// Before the CSRF check too: a client outside gets 404 for a POST without a
		// token,
		// not the 403 that would tell it the console is there.
		http.addFilterBefore(new AllowedNetworks(this.properties.allowedNetworks(), CONSOLE), CsrfFilter.class);
		http.addFilterAfter(new Rule(), AuthorizationFilter.class);
	}

	/** Whether the signed-in account holds the role ADMIN now. */
	boolean isAdmin(Authentication authentication) {
		return Factors.isFullyAuthenticated(authentication)
				&& authentication.getPrincipal() instanceof AccountPrincipal principal
				&& this.accounts.findAdminById(principal.accountId()).orElse(false);
	}

	private final class Rule extends OncePerRequestFilter {

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			return !CONSOLE.matches(request);
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Authentication authentication = SecurityContextHolder.getContextHolderStrategy()
				.getContext()
				.getAuthentication();
			if (!isAdmin(authentication)) {
				response.sendError(HttpServletResponse.SC_FORBIDDEN);
				return;
			}
			Optional<Assurance> assurance = Assurance.of(authentication);
			if (assurance.isEmpty() || !assurance.get().meets(Assurance.AAL2)) {
				request.setAttribute(ERROR_REASON, "admin.aal2Required");
				response.sendError(HttpServletResponse.SC_FORBIDDEN);
				return;
			}
			if (HttpMethod.POST.matches(request.getMethod()) && !confirm.matches(request)
					&& !AdminGate.this.stepUp.isFresh(authentication, AdminGate.this.properties.freshProof())) {
				FlashMap flash = new FlashMap();
				flash.put("alert", "admin.confirmFirst");
				String target = request.getContextPath() + CONFIRM;
				flash.setTargetRequestPath(target);
				flashMaps.saveOutputFlashMap(flash, request, response);
				response.sendRedirect(target);
				return;
			}
			chain.doFilter(request, response);
		}

	}

}
