package dev.totplogin.settings;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;
import dev.totplogin.oidc.SignedInApplications;
import dev.totplogin.security.AccountPrincipal;
import dev.totplogin.security.AccountSessions;
import dev.totplogin.securitykey.SecurityKeys;
import dev.totplogin.trustedbrowser.TrustedBrowsers;

import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * "Download my data": what the site keeps about the signed-in person, as a JSON file.
 * Built field by field from records of its own, never from an entity, so that nothing is
 * in it by accident: no password hash, TOTP secret, recovery code, token, session or
 * trusted browser id, credential. Needs fresh proof (the whole record at once, addresses
 * included, leaves the site: docs/security-model.md), and is audited.
 */
@Controller
@RequestMapping("/account")
class AccountDataController {

	private final AccountRepository accounts;

	private final AuditLog audit;

	private final AccountSessions sessions;

	private final SecurityKeys securityKeys;

	private final TrustedBrowsers trustedBrowsers;

	private final SignedInApplications applications;

	private final Clock clock;

	AccountDataController(AccountRepository accounts, AuditLog audit, AccountSessions sessions,
			SecurityKeys securityKeys, TrustedBrowsers trustedBrowsers, SignedInApplications applications,
			Clock clock) {
		this.accounts = accounts;
		this.audit = audit;
		this.sessions = sessions;
		this.securityKeys = securityKeys;
		this.trustedBrowsers = trustedBrowsers;
		this.applications = applications;
		this.clock = clock;
	}

	record AccountData(Instant exportedAt, Profile profile, List<Event> securityHistory, List<Session> sessions,
			List<Key> securityKeys, List<Browser> trustedBrowsers, List<Application> applications) {
	}

	record Profile(String username, String email, boolean emailVerified, Instant createdAt, boolean authenticatorApp,
			Instant authenticatorSince) {
	}

	record Event(String type, Instant occurredAt, String ipAddress, String browser, String detail) {
	}

	record Session(Instant signedInAt, Instant lastActiveAt, String ipAddress, String browser, String method,
			String assurance, boolean thisSession) {
	}

	record Key(String name, Instant addedAt, Instant lastUsedAt, boolean passkey, boolean synced) {
	}

	record Browser(Instant trustedSince, Instant trustedUntil, Instant lastUsedAt, String ipAddress, String browser,
			boolean thisBrowser) {
	}

	record Application(String clientId, Instant firstSignIn, Instant lastSignIn, int sessions) {
	}

	@GetMapping("/data")
	ResponseEntity<AccountData> download(@AuthenticationPrincipal AccountPrincipal principal,
			HttpServletRequest request) {
		long accountId = principal.accountId();
		// Recorded first: the file holds its own download.
		this.audit.record(accountId, SecurityEventType.DATA_EXPORTED);
		Account account = this.accounts.findById(accountId).orElseThrow();
		AccountData data = new AccountData(this.clock.instant(),
				new Profile(account.getUsername(), account.getEmail(), account.isEmailVerified(),
						account.getCreatedAt(), account.isTotpEnabled(), account.getTotpEnabledAt()),
				this.audit.all(accountId)
					.stream()
					.map((event) -> new Event(event.getType().name(), event.getOccurredAt(), event.getIpAddress(),
							event.getBrowser(), event.getDetail()))
					.toList(),
				this.sessions.of(accountId)
					.stream()
					.map((session) -> new Session(session.signedInAt(), session.lastActiveAt(), session.ipAddress(),
							session.browser(), session.method(), session.level(), session.current()))
					.toList(),
				this.securityKeys.of(principal.getUsername())
					.stream()
					.map((key) -> new Key(key.name(), key.addedAt(), key.lastUsedAt(), key.signsInAlone(),
							key.synced()))
					.toList(),
				this.trustedBrowsers.of(accountId, request)
					.stream()
					.map((browser) -> new Browser(browser.createdAt(), browser.expiresAt(), browser.lastUsedAt(),
							browser.ipAddress(), browser.browser(), browser.thisBrowser()))
					.toList(),
				this.applications.of(accountId)
					.stream()
					.map((application) -> new Application(application.clientId(), application.firstSignIn(),
							application.lastSignIn(), application.sessions()))
					.toList());
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.noStore())
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename("account-data.json").build().toString())
			.body(data);
	}

}
