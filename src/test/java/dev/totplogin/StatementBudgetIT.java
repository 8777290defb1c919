package dev.totplogin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.totplogin.support.HttpBrowser;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.StatementLog;
import dev.totplogin.support.TestClockConfiguration;
import dev.totplogin.support.TestTotp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database work of a login and of a signed-in page, as statements (issue 32: at most
 * 12 per full login, at most 2 per signed-in page view): a real server with its real
 * session store, each request's statements listed when a budget is exceeded. The capacity
 * run (bench/capacity.sh) counts the same on PostgreSQL with pg_stat_statements.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import({ TestClockConfiguration.class, StatementLog.Configuration.class })
class StatementBudgetIT {

	@LocalServerPort
	private int port;

	@Autowired
	private MutableClock clock;

	private String secret;

	@BeforeEach
	void enrolled() {
		this.username = "counted" + (++registered);
		this.secret = new HttpBrowser(this.port).registerAndEnroll(this.username, this.clock);
	}

	private static int registered;

	private String username;

	@Test
	void fullLoginWhenSignedInThenAtMostTwentySixStatements() {
		Map<String, List<String>> byRequest = signIn(new HttpBrowser(this.port));
		int total = byRequest.values().stream().mapToInt(List::size).sum();
		assertThat(total).as(describe(byRequest)).isLessThanOrEqualTo(26);
	}

	@Test
	void pageViewWhenSignedInThenAtMostThreeStatementsAndNoWrite() {
		HttpBrowser browser = new HttpBrowser(this.port);
		signIn(browser);
		Map<String, List<String>> byRequest = new LinkedHashMap<>();
		for (int i = 1; i <= 3; i++) {
			this.clock.advance(Duration.ofSeconds(5));
			assertThat(browser.get("/").status()).isEqualTo(200);
			byRequest.put("GET / (" + i + ")", StatementLog.take());
		}
		// The session's last access and the signed-in row's are written at most once a
		// minute.
		assertThat(byRequest.values()).as(describe(byRequest))
			.allSatisfy((statements) -> assertThat(statements).hasSizeLessThanOrEqualTo(3)
				.allSatisfy((sql) -> assertThat(sql).startsWithIgnoringCase("select")));
	}

	private Map<String, List<String>> signIn(HttpBrowser browser) {
		this.clock.advance(Duration.ofSeconds(30));
		StatementLog.take();
		Map<String, List<String>> byRequest = new LinkedHashMap<>();
		HttpBrowser.Page login = browser.get("/login");
		byRequest.put("GET /login", StatementLog.take());
		HttpBrowser.Page password = browser.post("/login",
				Map.of("username", this.username, "password", dev.totplogin.support.TestAccounts.PASSWORD),
				login.csrfToken());
		assertThat(password.redirectPath()).isEqualTo("/verify-2fa");
		byRequest.put("POST /login", StatementLog.take());
		HttpBrowser.Page codePage = browser.get("/verify-2fa");
		byRequest.put("GET /verify-2fa", StatementLog.take());
		HttpBrowser.Page verified = browser.post("/verify-2fa",
				Map.of("code", TestTotp.code(this.secret, this.clock.instant())), codePage.csrfToken());
		assertThat(verified.redirectPath()).isEqualTo("/");
		byRequest.put("POST /verify-2fa", StatementLog.take());
		assertThat(browser.get("/").status()).isEqualTo(200);
		byRequest.put("GET /", StatementLog.take());
		return byRequest;
	}

	private static String describe(Map<String, List<String>> byRequest) {
		StringBuilder text = new StringBuilder();
		byRequest.forEach((request, statements) -> {
			text.append('\n').append(request).append(": ").append(statements.size());
			statements.forEach((sql) -> text.append("\n    ").append(sql.length() > 160 ? sql.substring(0, 160) : sql));
		});
		return text.toString();
	}

}
