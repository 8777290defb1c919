package dev.totplogin.forwardauth;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.totplogin.support.CountingPasswordEncoder;
import dev.totplogin.support.CountingStatements;
import dev.totplogin.support.MockMvcAppTest;
import dev.totplogin.support.MutableClock;
import dev.totplogin.support.Person;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.assertj.core.api.Assertions.assertThat;

@MockMvcAppTest
@Import(CountingStatements.Configuration.class)
@TestPropertySource(properties = { "app.base-url=https://login.example.test",
		"app.forward-auth.domains=https://app.example.test,http://wiki.example.test:8081",
		"app.forward-auth.rules[0].path=/admin/**", "app.forward-auth.rules[0].max-age=10m",
		"app.forward-auth.rules[1].path=/secret/**", "app.forward-auth.rules[1].acr=urn:totp-login:aal2",
		"app.forward-auth.session-check=5s" })
class ForwardAuthTests {

	private static final String APP = "https://app.example.test/docs/page?x=1&y=2";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private CountingPasswordEncoder passwordEncoder;

	@Test
	void verifyWhenAnonymousFromNginxThen401WithTheLoginOfTheBaseUrlAndNoSession() throws Exception {
		MvcResult result = this.mvc.perform(nginx(APP).header("Host", "evil.test")).andReturn();
		assertThat(result.getResponse().getStatus()).isEqualTo(401);
		assertThat(result.getResponse().getHeader("Location"))
			.isEqualTo("https://login.example.test/login?rd=" + encode(APP));
		assertThat(result.getRequest().getSession(false)).as("no session for an anonymous request").isNull();
		assertThat(result.getResponse().getHeader("Remote-User")).isNull();
	}

	@Test
	void verifyWhenAnonymousFromCaddyOrTraefikThen302ToTheLoginWithTheForwardedUrl() throws Exception {
		MockHttpServletResponse response = this.mvc
			.perform(forwarded("http", "wiki.example.test:8081", "/a/b?c=d").header("Remote-User", "forged"))
			.andReturn()
			.getResponse();
		assertThat(response.getStatus()).isEqualTo(302);
		assertThat(response.getHeader("Location"))
			.isEqualTo("https://login.example.test/login?rd=" + encode("http://wiki.example.test:8081/a/b?c=d"));
		assertThat(response.getHeader("Remote-User")).isNull();
	}

	@Test
	void verifyWhenUrlOfAnotherDomainThen403WithNoWayToIt() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		for (String foreign : new String[] { "https://evil.test/", "http://app.example.test/",
				"https://app.example.test:8443/", "https://app.example.test@evil.test/", "//evil.test/" }) {
			MockHttpServletResponse response = person.perform(nginx(foreign)).andReturn().getResponse();
			assertThat(response.getStatus()).as(foreign).isEqualTo(403);
			assertThat(response.getHeader("Location")).as(foreign).isNull();
			assertThat(response.getHeader("Remote-User")).as(foreign).isNull();
		}
		assertThat(person.perform(forwarded("https", "evil.test", "/")).andReturn().getResponse().getStatus())
			.isEqualTo(403);
		assertThat(person.perform(MockMvcRequestBuilders.get("/auth/verify")).andReturn().getResponse().getStatus())
			.as("no URL at all")
			.isEqualTo(403);
	}

	@Test
	void verifyWhenSignedInThen200WithAllFiveHeadersFromTheSessionNeverTheClient() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		MockHttpServletResponse response = person
			.perform(nginx(APP).header("Remote-User", "forged")
				.header("Remote-ACR", "forged")
				.header("Remote-Email", "forged@evil.test"))
			.andReturn()
			.getResponse();
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader("Remote-User")).isEqualTo(person.username());
		assertThat(response.getHeader("Remote-Name")).isEqualTo(person.username());
		assertThat(response.getHeader("Remote-Email")).as("present, empty: no verified address").isEmpty();
		assertThat(response.getHeader("Remote-AMR")).isEqualTo("pwd otp mfa");
		assertThat(response.getHeader("Remote-ACR")).isEqualTo("urn:totp-login:aal2");
		assertThat(person.perform(forwarded("https", "app.example.test", "/")).andReturn().getResponse().getStatus())
			.isEqualTo(200);
	}

	@Test
	void verifyWhenTheSessionWasIdlePastTheIdleTimeoutThen401() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofMinutes(29).plusSeconds(59));
		assertThat(person.perform(nginx(APP)).andReturn().getResponse().getStatus()).isEqualTo(200);
		this.clock.advance(Duration.ofMinutes(30).plusSeconds(1));
		assertThat(person.perform(nginx(APP)).andReturn().getResponse().getStatus()).isEqualTo(401);
	}

	@Test
	void verifyWhenOnlyThePasswordStepThenToTheLogin() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		person.signIn().andReturn();
		MockHttpServletResponse response = person.perform(nginx(APP)).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getHeader("Remote-User")).isNull();
	}

	@Test
	void loginWhenReturnUrlOfAProtectedDomainThenBackThereAfterTheSignIn() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		person = person.anotherBrowser();
		String login = "/login?rd=" + encode(APP);
		assertThat(person.perform(MockMvcRequestBuilders.get(URI.create(login))).andReturn().getResponse().getStatus())
			.isEqualTo(200);
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(person.signIn().andReturn().getResponse().getRedirectedUrl()).isEqualTo("/verify-2fa");
		String afterCode = person.code(person.currentCode()).andReturn().getResponse().getRedirectedUrl();
		assertThat(afterCode).isEqualTo(login);
		String back = person.perform(MockMvcRequestBuilders.get(URI.create(afterCode)))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		assertThat(back).isEqualTo("/auth/return?rd=" + encode(APP));
		String page = person.perform(MockMvcRequestBuilders.get(URI.create(back)))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("content=\"0;url=" + APP.replace("&", "&amp;") + "\"")
			.contains("href=\"" + APP.replace("&", "&amp;") + "\"");
		assertThat(person.perform(MockMvcRequestBuilders.get(URI.create("/auth/return?rd=https://evil.test/")))
			.andReturn()
			.getResponse()
			.getRedirectedUrl()).isEqualTo("/");
	}

	@Test
	void loginWhenReturnUrlOfAnotherDomainThenIgnoredBeforeAndAfterTheSignIn() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		String login = "/login?rd=" + encode("https://evil.test/phish");
		assertThat(person.perform(MockMvcRequestBuilders.get(URI.create(login)))
			.andReturn()
			.getResponse()
			.getRedirectedUrl()).as("signed in: home, not there").isEqualTo("/");
		Person other = person.anotherBrowser();
		assertThat(other.perform(MockMvcRequestBuilders.get(URI.create(login))).andReturn().getResponse().getStatus())
			.isEqualTo(200);
		this.clock.advance(Duration.ofSeconds(30));
		other.signIn();
		assertThat(other.code(other.currentCode()).andReturn().getResponse().getRedirectedUrl()).isEqualTo("/");
	}

	@Test
	void verifyWhenTheRulesFactorIsTooOldThenTheStepUpAndAfterConfirmingThen200() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		String admin = "https://app.example.test/admin/users";
		assertThat(person.perform(nginx(admin)).andReturn().getResponse().getStatus()).isEqualTo(200);
		this.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
		MockHttpServletResponse stale = person.perform(nginx(admin)).andReturn().getResponse();
		assertThat(stale.getStatus()).isEqualTo(401);
		assertThat(stale.getHeader("Location")).isEqualTo("https://login.example.test/account#confirm");
		MockHttpServletResponse caddy = person.perform(forwarded("https", "app.example.test", "/admin/"))
			.andReturn()
			.getResponse();
		assertThat(caddy.getStatus()).isEqualTo(302);
		assertThat(person.perform(nginx(APP)).andReturn().getResponse().getStatus()).as("no rule for this path")
			.isEqualTo(200);
		person.post("/account/confirm", "code", person.currentCode());
		assertThat(person.perform(nginx(admin)).andReturn().getResponse().getStatus()).isEqualTo(200);
	}

	@Test
	void verifyWhenTheRulesPathIsWrittenAnotherWayThenTheRuleStillHoldsOrTheAnswerIs403() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
		for (String path : List.of("/admin/users", "//admin/users", "/x/../admin/users", "/./admin/users",
				"/%61dmin/users", "/ADMIN/users", "/admin")) {
			assertThat(person.perform(nginx("https://app.example.test" + path)).andReturn().getResponse().getStatus())
				.as("the rule of /admin/** for %s", path)
				.isEqualTo(401);
		}
		for (String path : List.of("/admin%2Fusers", "/x%2F..%2Fadmin/users", "/admin;x=1/users", "/%5Cadmin")) {
			assertThat(person.perform(nginx("https://app.example.test" + path)).andReturn().getResponse().getStatus())
				.as("a path servers read in different ways: %s", path)
				.isEqualTo(403);
		}
		assertThat(
				person.perform(nginx("https://app.example.test/administration")).andReturn().getResponse().getStatus())
			.as("not under /admin/")
			.isEqualTo(200);
	}

	@Test
	void verifyWhenTheRuleHasAMaxAgeAndTheSignInWasATrustedBrowserThenTheStepUp() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn();
		person.post("/verify-2fa", "code", person.currentCode(), "rememberBrowser", "true");
		this.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
		assertThat(person.signInOnThisBrowser()).as("the trusted browser skips the code").isEqualTo("/");
		assertThat(person.perform(nginx("https://app.example.test/admin/users")).andReturn().getResponse().getStatus())
			.as("a trusted browser is no code of the last 10 minutes")
			.isEqualTo(401);
	}

	@Test
	void verifyWhenTheRuleAsksForAal2AndTheSignInWasATrustedBrowserThen403() throws Exception {
		Person person = new Person(this.mvc, this.clock).signedUp();
		this.clock.advance(Duration.ofSeconds(30));
		person.signIn();
		person.post("/verify-2fa", "code", person.currentCode(), "rememberBrowser", "true");
		String secret = "https://app.example.test/secret/plans";
		assertThat(person.perform(nginx(secret)).andReturn().getResponse().getStatus()).as("aal2 after a code")
			.isEqualTo(200);
		assertThat(person.signInOnThisBrowser()).as("the trusted browser skips the code").isEqualTo("/");
		MockHttpServletResponse trusted = person.perform(nginx(secret)).andReturn().getResponse();
		assertThat(trusted.getStatus()).isEqualTo(403);
		MockHttpServletResponse elsewhere = person.perform(nginx(APP)).andReturn().getResponse();
		assertThat(elsewhere.getStatus()).isEqualTo(200);
		assertThat(elsewhere.getHeader("Remote-AMR")).isEqualTo("pwd");
		assertThat(elsewhere.getHeader("Remote-ACR")).isEqualTo("urn:totp-login:aal1");
		assertThat(person.get("/account").andReturn().getResponse().getContentAsString())
			.as("the sessions list says the same level")
			.contains("Signed in with password on a trusted browser · AAL1");
	}

	@Test
	void verifyWhenTheSessionIsEndedElsewhereThenRefusedOnceTheCheckIsOlderThanSessionCheck() throws Exception {
		Person phone = new Person(this.mvc, this.clock).signedUp();
		Person laptop = phone.anotherBrowser();
		this.clock.advance(Duration.ofSeconds(30));
		laptop.signIn();
		laptop.code(laptop.currentCode());
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(laptop.perform(nginx(APP)).andReturn().getResponse().getStatus()).isEqualTo(200);
		phone.post("/account/sessions", "code", phone.currentCode());
		assertThat(laptop.perform(nginx(APP)).andReturn().getResponse().getStatus())
			.as("the check of a moment ago still stands")
			.isEqualTo(200);
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(laptop.perform(nginx(APP)).andReturn().getResponse().getStatus()).isEqualTo(401);
	}

	@Test
	void verifyWhenAskedAgainWithinTheSessionCheckThenNoStatementAndNoHash() throws Exception {
		Person person = new Person(this.mvc, this.clock).withEmail("fa@example.test").signedUp();
		int hashes = this.passwordEncoder.hashes();
		int before = CountingStatements.onThisThread();
		assertThat(person.perform(nginx(APP)).andReturn().getResponse().getStatus()).isEqualTo(200);
		int first = CountingStatements.onThisThread() - before;
		before = CountingStatements.onThisThread();
		for (int i = 0; i < 10; i++) {
			person.perform(nginx(APP));
		}
		int next = CountingStatements.onThisThread() - before;
		assertThat(first).as("the session's row and epoch, and the account's email").isEqualTo(2);
		assertThat(next).as("besides the session store's own read").isZero();
		assertThat(this.passwordEncoder.hashes()).isEqualTo(hashes);
		// The figure for docs/integration.md: CPU per answer on this thread (MockMvc runs
		// the whole filter chain here), the median of five runs of 200. Printed, not
		// asserted: a busy machine changes it.
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long[] runs = new long[5];
		for (int run = 0; run < runs.length; run++) {
			long start = threads.getCurrentThreadCpuTime();
			for (int i = 0; i < 200; i++) {
				person.perform(nginx(APP));
			}
			runs[run] = (threads.getCurrentThreadCpuTime() - start) / 200;
		}
		Arrays.sort(runs);
		System.out.printf("forward auth: CPU per /auth/verify answer (MockMvc, median of 5 x 200): %d µs%n",
				runs[2] / 1000);
	}

	private static MockHttpServletRequestBuilder nginx(String url) {
		return MockMvcRequestBuilders.get("/auth/verify").header("X-Original-URL", url);
	}

	private static MockHttpServletRequestBuilder forwarded(String proto, String host, String uri) {
		return MockMvcRequestBuilders.get("/auth/verify")
			.header("X-Forwarded-Proto", proto)
			.header("X-Forwarded-Host", host)
			.header("X-Forwarded-Uri", uri);
	}

	private static String encode(String url) {
		return URLEncoder.encode(url, StandardCharsets.UTF_8);
	}

}
