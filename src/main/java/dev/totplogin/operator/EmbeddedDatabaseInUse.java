package dev.totplogin.operator;

import java.io.PrintStream;
import java.sql.SQLException;

import org.springframework.boot.SpringBootExceptionReporter;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The operator command started while the application runs on the embedded H2 file: H2
 * lets one process open the file, so the command cannot start. Said in one line instead
 * of Spring Boot's "Application run failed" and its stack trace (a
 * {@link SpringBootExceptionReporter}, listed in {@code META-INF/spring.factories}); the
 * command then exits with 2 ({@link ResetSecondFactorCommand#run}). The web application's
 * own start-up failures are reported as before.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class EmbeddedDatabaseInUse implements SpringBootExceptionReporter {

	/** H2's "Database may be already in use" (ErrorCode.DATABASE_ALREADY_OPEN_1). */
	private static final String DATABASE_ALREADY_OPEN = "90020";

	private final ConfigurableApplicationContext context;

	private final PrintStream out = System.out;

	EmbeddedDatabaseInUse(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/** Whether the failure comes from an H2 database file that another process holds. */
	static boolean isCauseOf(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLException sql && DATABASE_ALREADY_OPEN.equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	@Override
	public boolean reportException(Throwable failure) {
		if (this.context == null || !isOperatorCommand() || !isCauseOf(failure)) {
			return false;
		}
		this.out.println("The database " + databaseName() + " is in use: stop the application first (the embedded "
				+ "database is single-process), then run the command again. Nothing changed.");
		return true;
	}

	private boolean isOperatorCommand() {
		return this.context.getEnvironment().containsProperty(ResetSecondFactorCommand.OPTION)
				|| this.context.getEnvironment().containsProperty(AdminRoleCommand.GRANT)
				|| this.context.getEnvironment().containsProperty(AdminRoleCommand.REVOKE)
				|| this.context.getEnvironment().containsProperty(AccountStateCommand.DISABLE)
				|| this.context.getEnvironment().containsProperty(AccountStateCommand.ENABLE);
	}

	/**
	 * The H2 file as configured ({@code ./data/totp-login}), without the URL's options.
	 */
	private String databaseName() {
		String url = this.context.getEnvironment().getProperty("spring.datasource.url", "");
		String file = url.replaceFirst("^jdbc:h2:(file:)?", "");
		int options = file.indexOf(';');
		return (options >= 0) ? file.substring(0, options) : file;
	}

}
