package dev.totplogin.support;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The steps a person takes, over real HTTP, shared by the tests that run a server. */
public final class Journeys {

	public static final String PASSWORD = "correct horse battery staple";

	private static final Pattern RECOVERY_CODE = Pattern.compile("class=\"recovery-code\">([^<]+)<");

	private Journeys() {
	}

	/** Registers and enrolls {@code username}, returning the TOTP secret read from the QR code. */
	public static String registerAndEnroll(HttpBrowser browser, String username, Clock clock) {
		HttpBrowser.Page registered = browser.submit("/register", "/register",
				Map.of("username", username, "password", PASSWORD, "confirmPassword", PASSWORD));
		assertThat(registered.redirectPath()).as("registration answered %d", registered.status()).isEqualTo("/setup-2fa");
		HttpBrowser.Page setup = browser.get("/setup-2fa");
		String secret = QrCodes.secretOf(QrCodes.decode(browser.getBytes("/setup-2fa/qr.png")));
		HttpBrowser.Page enrolled = browser.post("/setup-2fa",
				Map.of("code", TestTotp.code(secret, clock.instant())), setup.csrfToken());
		assertThat(enrolled.redirectPath()).isEqualTo("/recovery-codes");
		return secret;
	}

	/** Reads the recovery codes shown right after enrollment. */
	public static List<String> recoveryCodes(HttpBrowser browser) {
		Matcher matcher = RECOVERY_CODE.matcher(browser.get("/recovery-codes").body());
		List<String> codes = new ArrayList<>();
		while (matcher.find()) {
			codes.add(matcher.group(1));
		}
		return codes;
	}

	/** Passes the password step; the browser is then at the code step. */
	public static HttpBrowser.Page passwordStep(HttpBrowser browser, String username) {
		return browser.submit("/login", "/login", Map.of("username", username, "password", PASSWORD));
	}

}
