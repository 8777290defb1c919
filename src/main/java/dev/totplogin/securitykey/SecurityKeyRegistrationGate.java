package dev.totplogin.securitykey;

import java.io.Serializable;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import dev.totplogin.security.AccountSessions;
import dev.totplogin.security.StepUp;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.registration.PublicKeyCredentialCreationOptionsRepository;
import org.springframework.stereotype.Component;

/**
 * Where Spring Security keeps the challenge of a key registration ({@code POST
 * /webauthn/register/options}, then {@code POST /webauthn/register}): in the session (so
 * in the database under Spring Session JDBC, and any instance can finish the ceremony),
 * only while this session has fresh proof ({@link StepUp}; Spring Security's options
 * filter answers before authorization, so the rule is asked here: else the options
 * request is refused before any challenge is handed out), and bound to the sign-in and
 * the account it was given to: a new sign-in in the same session cannot answer it.
 */
@Component
class SecurityKeyRegistrationGate implements PublicKeyCredentialCreationOptionsRepository {

	private static final String ATTRIBUTE = SecurityKeyRegistrationGate.class.getName();

	private final StepUp stepUp;

	SecurityKeyRegistrationGate(StepUp stepUp) {
		this.stepUp = stepUp;
	}

	@Override
	public void save(HttpServletRequest request, HttpServletResponse response,
			PublicKeyCredentialCreationOptions options) {
		if (options == null) {
			HttpSession session = request.getSession(false);
			if (session != null) {
				session.removeAttribute(ATTRIBUTE);
			}
			return;
		}
		if (!fresh(request)) {
			throw new RefusedCeremony("adding a key needs fresh proof");
		}
		request.getSession().setAttribute(ATTRIBUTE, new Pending(currentSignIn(), options));
	}

	@Override
	public PublicKeyCredentialCreationOptions load(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		Authentication authentication = SecurityContextHolder.getContextHolderStrategy()
			.getContext()
			.getAuthentication();
		if (session == null || authentication == null || !fresh(request)
				|| !(session.getAttribute(ATTRIBUTE) instanceof Pending pending)
				|| !pending.signIn().equals(currentSignIn())
				|| !Objects.equals(pending.options().getUser().getName(), authentication.getName())) {
			return null;
		}
		return pending.options();
	}

	private boolean fresh(HttpServletRequest request) {
		return this.stepUp.isFresh(SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication());
	}

	private static String currentSignIn() {
		return AccountSessions.currentRef().orElse("");
	}

	record Pending(String signIn, PublicKeyCredentialCreationOptions options) implements Serializable {
	}

}
