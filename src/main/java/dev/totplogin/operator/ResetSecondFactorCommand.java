package dev.totplogin.operator;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.totplogin.account.Account;
import dev.totplogin.admin.AccountAdministration;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.Banner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.stereotype.Component;

/**
 * The operator's path for a person who lost their phone and every recovery code:
 * {@code java -jar totp-login.jar --reset-2fa=<username>}. Removes the account's
 * authenticator and recovery codes, lifts its locks and ends its sessions; the person
 * enrolls again right after their next password, through
 * {@link AccountAdministration#resetSecondFactor}, the method the admin console calls
 * too. Records an {@code ADMIN_RESET} event, prints what it did and exits without
 * starting the web server ({@link dev.totplogin.TotpLoginApplication#main}). On the
 * embedded H2 file, which only one process can open, it refuses in one line while the
 * application runs ({@link EmbeddedDatabaseInUse}).
 */
@Component
public class ResetSecondFactorCommand implements ApplicationRunner, ExitCodeGenerator {

	public static final String OPTION = "reset-2fa";

	private final AccountAdministration administration;

	private final PrintStream out = System.out;

	private int exitCode;

	ResetSecondFactorCommand(AccountAdministration administration) {
		this.administration = administration;
	}

	/**
	 * Whether the command line asks for an operator command instead of the web
	 * application.
	 */
	public static boolean isRequested(String[] args) {
		return List.of(args)
			.stream()
			.anyMatch((arg) -> arg.startsWith("--" + OPTION) || arg.equals("--" + RotateSigningKeyCommand.OPTION)
					|| arg.startsWith("--" + AdminRoleCommand.GRANT) || arg.startsWith("--" + AdminRoleCommand.REVOKE)
					|| AccountStateCommand.isRequested(arg));
	}

	/**
	 * Runs the command instead of the web application and returns the process's exit
	 * code: 0 done, 1 no such account, 2 not run (usage, or the embedded database is held
	 * by the running application). An operator command prints its own lines, and
	 * warnings; not the banner and the start-up log.
	 */
	public static int run(SpringApplication application, String[] args) {
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		// The start-up failure is reported once, by Spring Boot (or in one line by
		// EmbeddedDatabaseInUse): not a second time by the context as it gives up.
		application.setDefaultProperties(Map.of("logging.level.root", "warn",
				"logging.level.org.springframework.context.annotation.AnnotationConfigApplicationContext", "error"));
		try {
			return SpringApplication.exit(application.run(args));
		}
		catch (RuntimeException failure) {
			if (EmbeddedDatabaseInUse.isCauseOf(failure)) {
				return 2;
			}
			throw failure;
		}
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!args.containsOption(OPTION)) {
			return;
		}
		List<String> usernames = args.getOptionValues(OPTION);
		if (usernames == null || usernames.size() != 1 || usernames.get(0).isBlank()) {
			this.out.println("Usage: --" + OPTION + "=<username>");
			this.exitCode = 2;
			return;
		}
		String username = usernames.get(0);
		Optional<Account> account = this.administration.find(username);
		if (account.isEmpty()) {
			this.out.println("No account named '" + username + "': nothing changed.");
			this.exitCode = 1;
			return;
		}
		// The very method the admin console's "Reset the second factor" calls.
		this.administration.resetSecondFactor(account.get().getId(), AccountAdministration.Actor.COMMAND_LINE);
		// Everything the reset takes away, including what other packages remove on its
		// ADMIN_RESET event (security keys, trusted browsers).
		this.out.println("Reset two-factor authentication of '" + account.get().getUsername() + "': removed the "
				+ "authenticator (and any setup in progress), the recovery codes, the security keys and the trusted "
				+ "browsers; lifted the locks; ended the sessions; voided unused password-reset and "
				+ "email-confirmation links. They will set up a new authenticator after their next password.");
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}
