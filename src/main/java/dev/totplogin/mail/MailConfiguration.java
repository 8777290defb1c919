package dev.totplogin.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The background sender: db-scheduler, chosen over a hand-written scheduler and over
 * Spring Modulith's event publication registry because it does exactly this job with the
 * guarantees we need and nothing more: each message is a task row in the database,
 * written in the transaction that queues the message; one instance at a time picks it
 * (the row is locked by a conditional update), a failure is retried with backoff, and a
 * task whose instance died is picked up again by another, also after a restart.
 */
@Configuration(proxyBeanMethods = false)
class MailConfiguration {

	private static final Logger log = LoggerFactory.getLogger(MailConfiguration.class);

	/**
	 * Retries wait {@code app.mail.first-retry}, doubling up to
	 * {@code app.mail.longest-retry}; after 100 failures in a row it is dropped.
	 */
	private static final int MAX_FAILURES = 100;

	@Bean
	OneTimeTask<Long> mailDeliveryTask(MailDelivery delivery, MailProperties properties) {
		return Tasks.oneTime("send-mail", Long.class)
			.onFailure(new RetryWithBackoff(properties.firstRetry(), properties.longestRetry(), delivery))
			.execute((instance, context) -> {
				try {
					delivery.deliver(instance.getData());
				}
				catch (Exception ex) {
					throw new IllegalStateException("mail message " + instance.getData() + " not sent", ex);
				}
			});
	}

	/**
	 * Runs every background task of the application (each a {@link Task} bean): mail,
	 * reset requests, the OpenID Connect provider's back-channel logouts and its sweep of
	 * ended sessions.
	 */
	@Bean(destroyMethod = "stop")
	Scheduler backgroundTasks(DataSource dataSource, List<Task<?>> tasks, MailProperties properties,
			SiteProperties site, Environment environment) {
		refuseIncompleteProductionSetup(properties, site, environment);
		// A recurring task is known to the scheduler by being started, and only so.
		List<Task<?>> oneTime = tasks.stream().filter((task) -> !(task instanceof RecurringTask<?>)).toList();
		List<RecurringTask<?>> recurring = tasks.stream()
			.filter(RecurringTask.class::isInstance)
			.<RecurringTask<?>>map(RecurringTask.class::cast)
			.toList();
		Scheduler scheduler = Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), oneTime)
			.startTasks(recurring)
			.pollingInterval(Duration.ofSeconds(2))
			.threads(2)
			.enableImmediateExecution()
			.build();
		scheduler.start();
		return scheduler;
	}

	/**
	 * Queues messages through the same data source, so a message is queued in the
	 * caller's transaction.
	 */
	@Bean
	@Primary
	SchedulerClient mailQueue(DataSource dataSource, OneTimeTask<Long> mailDeliveryTask) {
		return SchedulerClient.Builder.create(new TransactionAwareDataSourceProxy(dataSource), mailDeliveryTask)
			.build();
	}

	private static void refuseIncompleteProductionSetup(MailProperties properties, SiteProperties site,
			Environment environment) {
		if (!environment.acceptsProfiles(Profiles.of("prod"))) {
			return;
		}
		if (properties.enabled() && !environment.containsProperty("spring.mail.host")) {
			throw new IllegalStateException("The prod profile sends mail over SMTP: set SPRING_MAIL_HOST (and "
					+ "spring.mail.* as your server needs), or APP_MAIL_ENABLED=false for no email at all");
		}
		if (site.baseUrl().getHost() == null || "localhost".equals(site.baseUrl().getHost())) {
			throw new IllegalStateException("The prod profile needs APP_BASE_URL, e.g. https://login.example.com: "
					+ "every link in a mail starts with it");
		}
	}

	private static final class RetryWithBackoff implements FailureHandler<Long> {

		private final Duration firstRetry;

		private final Duration longestRetry;

		private final MailDelivery delivery;

		RetryWithBackoff(Duration firstRetry, Duration longestRetry, MailDelivery delivery) {
			this.firstRetry = firstRetry;
			this.longestRetry = longestRetry;
			this.delivery = delivery;
		}

		@Override
		public void onFailure(ExecutionComplete complete, ExecutionOperations<Long> operations) {
			int failures = complete.getExecution().consecutiveFailures + 1;
			if (failures >= MAX_FAILURES) {
				log.error("Mail message {} dropped after {} failed attempts",
						complete.getExecution().taskInstance.getData(), failures);
				this.delivery.dropped((Long) complete.getExecution().taskInstance.getData());
				operations.stop();
				return;
			}
			Duration wait = this.firstRetry.multipliedBy(1L << Math.min(failures - 1, 20));
			wait = (wait.compareTo(this.longestRetry) > 0) ? this.longestRetry : wait;
			log.warn("Mail message {} not sent ({} failed attempts), next try in {}",
					complete.getExecution().taskInstance.getData(), failures, wait);
			operations.reschedule(complete, Instant.now().plus(wait));
		}

	}

}
