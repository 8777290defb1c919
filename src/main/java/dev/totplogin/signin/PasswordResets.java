package dev.totplogin.signin;

import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.account.AccountService;
import dev.totplogin.account.AccountTokens;
import dev.totplogin.account.AccountTokens.Purpose;
import dev.totplogin.account.HashedPassword;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.RateLimits;
import dev.totplogin.mail.MailProperties;
import dev.totplogin.mail.Mailer;
import dev.totplogin.mail.SiteProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * "Forgot password?": a request is queued as it is, whatever the address, and handled in
 * the background, so that the answer (page, status, time) is the same for an unknown,
 * unverified, throttled or real address. A reset link proves control of the mailbox,
 * never of the account: the reset still asks for the second factor
 * ({@link PasswordResetController}).
 */
@Service
public class PasswordResets {

	static final String TASK = "password-reset-request";

	/**
	 * A reset asked for: the address as typed (the client's IP address was counted when
	 * it was asked for, and is not kept).
	 *
	 * @param email the address typed
	 */
	record Request(String email) implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

	}

	private final AccountRepository accounts;

	private final AccountService accountService;

	private final AccountTokens tokens;

	private final Mailer mailer;

	private final SiteProperties site;

	private final MailProperties mail;

	private final RateLimits rateLimits;

	private final AuditLog audit;

	private final SchedulerClient queue;

	private final OneTimeTask<Request> task;

	private final Attempts attempts;

	private final ApplicationEventPublisher publisher;

	private final JdbcTemplate jdbc;

	PasswordResets(AccountRepository accounts, AccountService accountService, AccountTokens tokens, Mailer mailer,
			SiteProperties site, MailProperties mail, RateLimits rateLimits, AuditLog audit, SchedulerClient queue,
			OneTimeTask<Request> passwordResetRequestTask, Attempts attempts, ApplicationEventPublisher publisher,
			JdbcTemplate jdbc) {
		this.jdbc = jdbc;
		this.attempts = attempts;
		this.publisher = publisher;
		this.accounts = accounts;
		this.accountService = accountService;
		this.tokens = tokens;
		this.mailer = mailer;
		this.site = site;
		this.mail = mail;
		this.rateLimits = rateLimits;
		this.audit = audit;
		this.queue = queue;
		this.task = passwordResetRequestTask;
	}

	/**
	 * Queues the request, due at once by the scheduler's (the system's) clock: the same
	 * work for every address. Past the client's limit nothing is queued, with the same
	 * answer.
	 */
	void request(String email, String ip) {
		this.publisher.publishEvent(new PasswordResetRequested());
		if (this.rateLimits.tryHit("reset-ip:" + ip, this.mail.requestsPerIpPerHour(), Duration.ofHours(1))) {
			this.queue.schedule(this.task.instance(instanceFor(email), new Request(email)), Instant.now());
		}
	}

	/**
	 * The task's id starts with a digest of the address's key, so that the deletion of an
	 * account can find the requests for its address that are still waiting (their data
	 * holds the address) without reading every request's data.
	 */
	private static String instanceFor(String email) {
		return addressDigest(email) + "-" + UUID.randomUUID();
	}

	private static String addressDigest(String email) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(Account.emailKeyOf(email).getBytes(StandardCharsets.UTF_8));
			// 128 bits: the id stays within the scheduler's 100 characters.
			return HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The account with this address is being deleted, in the caller's transaction: its
	 * reset requests still waiting go (one being handled right now finishes, and finds no
	 * account once the deletion commits).
	 */
	@Transactional
	public void forgetRequestsFor(String email) {
		this.jdbc.update("delete from scheduled_tasks where task_name = ? and task_instance like ? and picked = ?",
				TASK, addressDigest(email) + "-%", false);
	}

	/**
	 * An account that had a second factor and has none now (an operator reset it) is not
	 * reset by mail: the link alone would be enough, so whoever reads the mailbox would
	 * take the account. Its owner goes to the operator. An account that never finished
	 * enrollment resets with the link alone, as there is nothing else to ask.
	 */
	boolean mailboxAloneWouldDo(Account account) {
		return !account.isTotpEnabled()
				&& this.audit.latest(account.getId(), SecurityEventType.SECOND_FACTOR_ENABLED).isPresent();
	}

	/**
	 * In the background: within the limits, a link to the account with this verified
	 * address; older links void.
	 */
	@Transactional
	void handle(Request request) {
		if (!this.rateLimits.tryHit("reset-address:" + Account.emailKeyOf(request.email()),
				this.mail.resetsPerAddressPerHour(), Duration.ofHours(1))) {
			return;
		}
		Optional<Account> account = this.accounts.findByEmailKey(Account.emailKeyOf(request.email()));
		if (account.isEmpty() || !account.get().isEmailVerified() || account.get().isDisabled()
				|| mailboxAloneWouldDo(account.get())) {
			return;
		}
		sendLink(account.get());
	}

	/**
	 * An administrator sends the person a reset link (ASVS 5.0 6.4.6: the administrator
	 * never learns a password): to the verified address only, and not to a disabled
	 * account or one the link alone would open. The reset still asks for the second
	 * factor.
	 * @return false if no link was sent
	 */
	@Transactional
	public boolean sendLinkFor(long accountId) {
		Optional<Account> account = this.accounts.findById(accountId);
		if (account.isEmpty() || !account.get().isEmailVerified() || account.get().isDisabled()
				|| mailboxAloneWouldDo(account.get())) {
			return false;
		}
		sendLink(account.get());
		return true;
	}

	private void sendLink(Account account) {
		String address = account.getEmail();
		String token = this.tokens.issue(account.getId(), Purpose.RESET_PASSWORD, address);
		this.mailer.send(account.getId(), address, "password-reset", "link",
				Map.of("link", this.site.link("/password/reset?token=" + token), "minutes",
						Purpose.RESET_PASSWORD.validity().toMinutes()));
	}

	/**
	 * The reset itself, once the second factor is proven: one transaction uses the token
	 * (only one request can), sets the new password (which voids every other token), ends
	 * every session of the account and records the event, whose notification mail is
	 * written with it.
	 * @return false if the token was used, voided or expired meanwhile
	 */
	@Transactional
	boolean reset(AccountTokens.Token token, HashedPassword newPassword) {
		if (!this.tokens.use(token)) {
			return false;
		}
		this.accountService.changePassword(token.accountId(), newPassword);
		this.accounts.advanceSessionEpoch(token.accountId());
		// The owner has just proven the mailbox and (if enrolled) the second factor: no
		// lock left from before.
		this.attempts.clear(token.accountId());
		this.audit.record(token.accountId(), SecurityEventType.PASSWORD_RESET);
		return true;
	}

	@Configuration(proxyBeanMethods = false)
	static class Task {

		@Bean
		OneTimeTask<Request> passwordResetRequestTask(ObjectProvider<PasswordResets> resets) {
			// A request that keeps failing is dropped after a few tries: it cannot hold
			// the background threads.
			return Tasks.oneTime(TASK, Request.class)
				.onFailure(new FailureHandler.MaxRetriesFailureHandler<>(5,
						new FailureHandler.OnFailureRetryLater<>(Duration.ofMinutes(1))))
				.execute((instance, context) -> resets.getObject().handle(instance.getData()));
		}

	}

}
