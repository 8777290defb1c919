package dev.totplogin.signin;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountService;
import dev.totplogin.account.HashedPassword;
import dev.totplogin.account.PasswordPolicy;
import dev.totplogin.lockout.RateLimits;
import dev.totplogin.mail.EmailAddresses;
import dev.totplogin.mail.MailProperties;
import dev.totplogin.security.SecurityProperties;
import dev.totplogin.security.SignInState;
import dev.totplogin.trustedbrowser.TrustedBrowserProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The registration form on its own: validation and what the controller asks of the
 * services.
 */
@WebMvcTest(RegistrationController.class)
@EnableConfigurationProperties({ RegistrationLimitProperties.class, MailProperties.class,
		TrustedBrowserProperties.class, SecurityProperties.class })
@Import({ PasswordPolicy.class, RegistrationControllerTests.NoTransactions.class })
@WithMockUser
class RegistrationControllerTests {

	private static final String PASSWORD = "twelve chars or more";

	private static final HashedPassword HASH = new HashedPassword("{argon2}hash of it");

	@Autowired
	private MockMvc mvc;

	@MockitoBean
	private AccountService accounts;

	@MockitoBean
	private SignInState signInState;

	@MockitoBean
	private RateLimits rateLimits;

	@MockitoBean
	private EmailAddresses addresses;

	@BeforeEach
	void withinTheRegistrationLimit() {
		given(this.rateLimits.tryHit(anyString(), anyInt(), any())).willReturn(true);
		given(this.accounts.hash(PASSWORD)).willReturn(HASH);
	}

	@Test
	void registerWhenFormValidThenAccountCreatedSignedInAndSentToSetup() throws Exception {
		Account account = mock(Account.class);
		given(this.accounts.register("ivan", HASH)).willReturn(account);
		this.mvc
			.perform(post("/register").param("username", "ivan")
				.param("password", PASSWORD)
				.param("confirmPassword", PASSWORD)
				.with(csrf()))
			.andExpect(redirectedUrl("/setup-2fa"));
		verify(this.signInState).pendingAfterRegistration(eq(account), any(), any());
	}

	@Test
	void registerWhenConfirmationDiffersThenFieldErrorAndNoAccount() throws Exception {
		this.mvc
			.perform(post("/register").param("username", "ivan")
				.param("password", PASSWORD)
				.param("confirmPassword", PASSWORD + "!")
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(model().attributeHasFieldErrorCode("registrationForm", "confirmPassword",
					"confirmPassword.mismatch"))
			.andExpect(content().string(containsString("don&#39;t match")));
		verify(this.accounts, never()).register(anyString(), any());
		verify(this.accounts, never()).hash(anyString());
	}

	@Test
	void registerWhenUsernameTakenThenFieldErrorAndNotSignedIn() throws Exception {
		given(this.accounts.register("ivan", HASH)).willThrow(new AccountService.UsernameTakenException());
		this.mvc
			.perform(post("/register").param("username", "ivan")
				.param("password", PASSWORD)
				.param("confirmPassword", PASSWORD)
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(model().attributeHasFieldErrorCode("registrationForm", "username", "username.taken"));
		verify(this.signInState, never()).pendingAfterRegistration(any(Account.class), any(), any());
	}

	/** The slice has no database: the controller's transaction is one in name only. */
	@TestConfiguration(proxyBeanMethods = false)
	static class NoTransactions {

		@Bean
		TransactionTemplate transactionTemplate() {
			return new TransactionTemplate(new AbstractPlatformTransactionManager() {

				@Override
				protected Object doGetTransaction() {
					return new Object();
				}

				@Override
				protected void doBegin(Object transaction, TransactionDefinition definition) {
				}

				@Override
				protected void doCommit(DefaultTransactionStatus status) {
				}

				@Override
				protected void doRollback(DefaultTransactionStatus status) {
				}

			});
		}

	}

}
