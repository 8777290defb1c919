package dev.totplogin.security;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.servlet.http.HttpSession;

import org.springframework.stereotype.Component;

/**
 * That this sign-in proved its second factor again a moment ago (a code typed on the
 * account page, or a security key touched there): for {@code app.security.fresh-proof} an
 * account action needs no code. Kept in the session (so on every instance) and bound to
 * the sign-in it was given in: a new sign-in in the same session starts without it. What
 * counts as proof is decided by the callers.
 */
@Component
public class RecentProof {

	private static final String ATTRIBUTE = RecentProof.class.getName();

	private final Clock clock;

	private final Duration validity;

	RecentProof(Clock clock, SecurityProperties properties) {
		this.clock = clock;
		this.validity = properties.freshProof();
	}

	/** Until when the proof holds, if it does. */
	public Optional<Instant> until(HttpSession session) {
		return (session.getAttribute(ATTRIBUTE) instanceof Proof proof && !proof.signIn().isEmpty()
				&& proof.signIn().equals(currentSignIn()) && this.clock.instant().isBefore(proof.until()))
						? Optional.of(proof.until()) : Optional.empty();
	}

	public void proven(HttpSession session) {
		session.setAttribute(ATTRIBUTE, new Proof(currentSignIn(), this.clock.instant().plus(this.validity)));
	}

	private static String currentSignIn() {
		return AccountSessions.currentRef().orElse("");
	}

	record Proof(String signIn, Instant until) implements Serializable {
	}

}
