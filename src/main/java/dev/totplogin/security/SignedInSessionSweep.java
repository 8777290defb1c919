package dev.totplogin.security;

import java.time.Duration;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Clears the signed-in rows of sessions long idle or past their absolute limit
 * ({@link AccountSessions#clearEnded}), every few minutes on one instance (a recurring
 * task of the background scheduler, like the other sweeps): a sign-in no longer pays a
 * {@code DELETE} for it (issue 32). Rows wait at most this long; every read leaves them
 * out meanwhile.
 */
@Configuration(proxyBeanMethods = false)
class SignedInSessionSweep {

	static final Duration INTERVAL = Duration.ofMinutes(5);

	@Bean
	RecurringTask<Void> endedSignedInSessions(AccountSessions sessions) {
		return Tasks.recurring("signed-in-session-sweep", Schedules.fixedDelay(INTERVAL))
			.execute((instance, context) -> sessions.clearEnded());
	}

}
