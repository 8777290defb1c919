package dev.totplogin.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.totplogin.audit.SecurityEventRecorded;
import dev.totplogin.hashing.HashingLoad;
import dev.totplogin.lockout.ClientPasswordLimit;
import dev.totplogin.signin.PasswordResetRequested;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The counters: sign-in outcomes, lockouts started, recovery codes used and password
 * resets, from the audit events once they are committed (an event rolled back is no
 * event), and from the counts that {@code hashing} and {@code lockout} keep of what has
 * no audit line ("busy", a locked client's refusals). Every series exists from the start,
 * at 0, so that a rate over it is defined before the first event.
 */
@Component
class SecurityMetrics implements MeterBinder {

	private static final String SIGNIN_ATTEMPTS = "totplogin.signin.attempts";

	private final Map<SignInOutcome, AtomicLong> outcomes = new EnumMap<>(SignInOutcome.class);

	private final Map<LockKind, AtomicLong> lockouts = new EnumMap<>(LockKind.class);

	private final AtomicLong recoveryCodesUsed = new AtomicLong();

	private final AtomicLong resetsRequested = new AtomicLong();

	private final AtomicLong resetsCompleted = new AtomicLong();

	private final HashingLoad hashing;

	private final ClientPasswordLimit clients;

	SecurityMetrics(HashingLoad hashing, ClientPasswordLimit clients) {
		this.hashing = hashing;
		this.clients = clients;
		for (SignInOutcome outcome : SignInOutcome.values()) {
			this.outcomes.put(outcome, new AtomicLong());
		}
		for (LockKind kind : LockKind.values()) {
			this.lockouts.put(kind, new AtomicLong());
		}
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (SignInOutcome outcome : SignInOutcome.values()) {
			FunctionCounter.builder(SIGNIN_ATTEMPTS, this, (metrics) -> metrics.count(outcome))
				.description("Checks of a sign-in factor by step and result (also when confirming it's you)")
				.tag("step", outcome.step())
				.tag("result", outcome.result())
				.register(registry);
		}
		for (LockKind kind : LockKind.values()) {
			FunctionCounter.builder("totplogin.lockouts", this.lockouts.get(kind), AtomicLong::get)
				.description("Locks started: an account's password or second factor, or a client address")
				.tag("kind", kind.label)
				.register(registry);
		}
		FunctionCounter.builder("totplogin.recovery.codes.used", this.recoveryCodesUsed, AtomicLong::get)
			.description("Recovery codes used to sign in or to confirm it's you")
			.register(registry);
		FunctionCounter.builder("totplogin.password.resets", this.resetsRequested, AtomicLong::get)
			.description("Password reset links asked for (any address) and resets completed")
			.tag("stage", "requested")
			.register(registry);
		FunctionCounter.builder("totplogin.password.resets", this.resetsCompleted, AtomicLong::get)
			.description("Password reset links asked for (any address) and resets completed")
			.tag("stage", "completed")
			.register(registry);
		FunctionCounter.builder("totplogin.hashing.busy", this.hashing, HashingLoad::busyChecks)
			.description("Password hashes refused as busy: checks (sign-in, confirm) and new hashes")
			.tag("operation", "check")
			.register(registry);
		FunctionCounter.builder("totplogin.hashing.busy", this.hashing, HashingLoad::busyNewHashes)
			.description("Password hashes refused as busy: checks (sign-in, confirm) and new hashes")
			.tag("operation", "new")
			.register(registry);
	}

	/**
	 * The outcome's count; a refusal that has no audit line of its own is added from the
	 * package that refused it.
	 */
	private double count(SignInOutcome outcome) {
		long counted = this.outcomes.get(outcome).get();
		return switch (outcome) {
			case PASSWORD_LOCKED -> counted + this.clients.refusedSteps();
			case PASSWORD_BUSY -> counted + this.hashing.busyChecks();
			default -> counted;
		};
	}

	@TransactionalEventListener(fallbackExecution = true)
	void onEvent(SecurityEventRecorded event) {
		SignInOutcome.of(event).ifPresent((outcome) -> this.outcomes.get(outcome).incrementAndGet());
		String detail = (event.detail() != null) ? event.detail() : "";
		switch (event.type()) {
			case LOCKED -> this.lockouts.get(detail.startsWith("password") ? LockKind.PASSWORD : LockKind.SECOND_FACTOR)
				.incrementAndGet();
			case CLIENT_LOCKED -> this.lockouts.get(LockKind.CLIENT).incrementAndGet();
			case RECOVERY_CODE_USED -> this.recoveryCodesUsed.incrementAndGet();
			case PASSWORD_RESET -> this.resetsCompleted.incrementAndGet();
			default -> {
			}
		}
	}

	@EventListener
	void onResetRequested(PasswordResetRequested requested) {
		this.resetsRequested.incrementAndGet();
	}

	/** The {@code kind} label of {@code totplogin_lockouts_total}. */
	enum LockKind {

		PASSWORD("password"), SECOND_FACTOR("second_factor"), CLIENT("client");

		final String label;

		LockKind(String label) {
			this.label = label;
		}

	}

}
