package dev.totplogin.operator;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

import dev.totplogin.account.Account;
import dev.totplogin.admin.AccountAdministration;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.stereotype.Component;

/**
 * {@code --disable=<username>} and {@code --enable=<username>}, run like
 * {@code --grant-admin} ({@link AdminRoleCommand}: no web server, one line, exit 0 done,
 * 1 no such account, 2 usage): the console's disable and enable, through the same
 * {@link AccountAdministration} methods, audited on the account ("from the command line")
 * and in the admin log. The way back when the last administrator's account was disabled.
 */
@Component
class AccountStateCommand implements ApplicationRunner, ExitCodeGenerator {

	static final String DISABLE = "disable";

	static final String ENABLE = "enable";

	private final AccountAdministration administration;

	private final PrintStream out = System.out;

	private int exitCode;

	AccountStateCommand(AccountAdministration administration) {
		this.administration = administration;
	}

	/** Whether an argument asks for one of these commands. */
	static boolean isRequested(String arg) {
		return List.of(DISABLE, ENABLE)
			.stream()
			.anyMatch((option) -> arg.equals("--" + option) || arg.startsWith("--" + option + "="));
	}

	@Override
	public void run(ApplicationArguments args) {
		boolean disable = args.containsOption(DISABLE);
		if (!disable && !args.containsOption(ENABLE)) {
			return;
		}
		this.exitCode = 0;
		String option = disable ? DISABLE : ENABLE;
		List<String> usernames = args.getOptionValues(option);
		if ((disable && args.containsOption(ENABLE)) || usernames == null || usernames.size() != 1
				|| usernames.get(0).isBlank()) {
			this.out.println("Usage: --" + DISABLE + "=<username> or --" + ENABLE + "=<username>");
			this.exitCode = 2;
			return;
		}
		Optional<Account> account = this.administration.find(usernames.get(0));
		if (account.isEmpty()) {
			this.out.println("No account named '" + usernames.get(0) + "': nothing changed.");
			this.exitCode = 1;
			return;
		}
		String name = account.get().getUsername();
		long id = account.get().getId();
		AccountAdministration.Actor actor = AccountAdministration.Actor.COMMAND_LINE;
		if (disable) {
			this.out.println(this.administration.disable(id, actor)
					? "'" + name + "' is disabled: every session has ended, sign-in is refused until --enable."
					: "'" + name + "' was disabled already: nothing changed.");
		}
		else {
			this.out.println(this.administration.enable(id, actor) ? "'" + name + "' is enabled again."
					: "'" + name + "' was not disabled: nothing changed.");
		}
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}
