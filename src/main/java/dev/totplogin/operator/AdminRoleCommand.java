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
 * The only way to the role ADMIN: {@code --grant-admin=<username>} and
 * {@code --revoke-admin=<username>}, run like {@code --reset-2fa}
 * ({@link ResetSecondFactorCommand#run}: no web server, one line, exit 0 done, 1 no such
 * account, 2 usage). Audited on the account and in the admin log. The first administrator
 * can only be made this way; a revoke holds from the administrator's next request.
 */
@Component
class AdminRoleCommand implements ApplicationRunner, ExitCodeGenerator {

	static final String GRANT = "grant-admin";

	static final String REVOKE = "revoke-admin";

	private final AccountAdministration administration;

	private final PrintStream out = System.out;

	private int exitCode;

	AdminRoleCommand(AccountAdministration administration) {
		this.administration = administration;
	}

	@Override
	public void run(ApplicationArguments args) {
		boolean grant = args.containsOption(GRANT);
		if (!grant && !args.containsOption(REVOKE)) {
			return;
		}
		this.exitCode = 0;
		String option = grant ? GRANT : REVOKE;
		List<String> usernames = args.getOptionValues(option);
		if ((grant && args.containsOption(REVOKE)) || usernames == null || usernames.size() != 1
				|| usernames.get(0).isBlank()) {
			this.out.println("Usage: --" + GRANT + "=<username> or --" + REVOKE + "=<username>");
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
		if (grant) {
			this.out.println(this.administration.grantAdmin(account.get().getId())
					? "'" + name + "' is an administrator now: /admin after signing in with the code."
					: "'" + name + "' is an administrator already: nothing changed.");
		}
		else {
			this.out.println(this.administration.revokeAdmin(account.get().getId())
					? "'" + name + "' is no administrator any more, from their next request."
					: "'" + name + "' was no administrator: nothing changed.");
		}
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}
