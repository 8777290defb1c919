package dev.totplogin.support;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What every transport's test helper ({@link Person}, {@link HttpBrowser}, the browser
 * tests) shares.
 */
public final class TestAccounts {

	/** The password every test account signs up with. */
	public static final String PASSWORD = "correct horse battery staple";

	/**
	 * Command-line arguments for cheap password hashes, for applications a test starts
	 * itself (the test profile has the same); {@code Argon2ParametersTests} asserts the
	 * production parameters.
	 */
	public static final List<String> TEST_SETTINGS = List.of("--app.security.argon2.memory-kib=1024",
			"--app.security.argon2.iterations=1");

	private static final Pattern RECOVERY_CODE = Pattern.compile("class=\"recovery-code\">([^<]+)<");

	private TestAccounts() {
	}

	/** The recovery codes shown on a page, in order. */
	public static List<String> recoveryCodesIn(String html) {
		Matcher matcher = RECOVERY_CODE.matcher(html);
		List<String> codes = new ArrayList<>();
		while (matcher.find()) {
			codes.add(matcher.group(1));
		}
		return codes;
	}

	/** The account's security events, oldest first. */
	public static List<String> eventsOf(JdbcTemplate jdbc, String username) {
		return jdbc.queryForList("select e.event_type from security_event e join account a on a.id = e.account_id "
				+ "where a.username = ? order by e.id", String.class, username);
	}

}
