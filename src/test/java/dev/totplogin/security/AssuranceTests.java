package dev.totplogin.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

import static org.assertj.core.api.Assertions.assertThat;

class AssuranceTests {

	private static final Instant PASSWORD_AT = Instant.parse("2026-12-07T10:00:00Z");

	private static final Instant SECOND_AT = Instant.parse("2026-12-07T10:00:20Z");

	@Test
	void ofWhenPasswordAndCodeThenOtpMfaAndAal2SinceTheCode() {
		Assurance assurance = Assurance.of(signedIn(Factors.TOTP)).orElseThrow();
		assertThat(assurance.amr()).containsExactly("pwd", "otp", "mfa");
		assertThat(assurance.acr()).isEqualTo(Assurance.AAL2);
		assertThat(assurance.authTime()).isEqualTo(SECOND_AT);
		assertThat(assurance.amrText()).isEqualTo("pwd otp mfa");
	}

	@Test
	void ofWhenRecoveryCodeThenOtpLikeTheCode() {
		assertThat(Assurance.of(signedIn(Factors.RECOVERY_CODE)).orElseThrow().amr()).containsExactly("pwd", "otp",
				"mfa");
	}

	@Test
	void ofWhenSecurityKeyThenHwkAndAal2() {
		Assurance assurance = Assurance.of(signedIn(Factors.WEBAUTHN)).orElseThrow();
		assertThat(assurance.amr()).containsExactly("pwd", "hwk", "mfa");
		assertThat(assurance.acr()).isEqualTo(Assurance.AAL2);
	}

	@Test
	void ofWhenTrustedBrowserThenPasswordOnlyAndAal1() {
		Assurance assurance = Assurance.of(signedIn(Factors.TRUSTED_BROWSER)).orElseThrow();
		assertThat(assurance.amr()).containsExactly("pwd");
		assertThat(assurance.acr()).isEqualTo(Assurance.AAL1);
		assertThat(assurance.meets(Assurance.AAL1)).isTrue();
		assertThat(assurance.meets(Assurance.AAL2)).isFalse();
	}

	@Test
	void ofWhenConfirmedLaterThenNeitherAnotherMethodNorALaterAuthTime() {
		Authentication confirmed = Factors.with(signedIn(Factors.TRUSTED_BROWSER), Factors.CONFIRMED,
				SECOND_AT.plusSeconds(600));
		Assurance assurance = Assurance.of(confirmed).orElseThrow();
		assertThat(assurance.amr()).containsExactly("pwd");
		assertThat(assurance.authTime()).isEqualTo(SECOND_AT);
	}

	@Test
	void ofWhenAPasskeyAloneVerifiedItsUserThenHwkMfaAndAal2() {
		Authentication passkey = with(
				List.of(factor(Factors.WEBAUTHN, SECOND_AT), factor(Factors.USER_VERIFIED, SECOND_AT)));
		Assurance assurance = Assurance.of(passkey).orElseThrow();
		assertThat(assurance.amr()).containsExactly("hwk", "mfa");
		assertThat(assurance.acr()).isEqualTo(Assurance.AAL2);
		assertThat(assurance.level()).isEqualTo("aal2");
		assertThat(assurance.authTime()).isEqualTo(SECOND_AT);
		assertThat(Assurance.method(Assurance.factors(passkey))).isEqualTo("passkey");
		assertThat(Factors.signInStartedAt(passkey)).contains(SECOND_AT);
	}

	@Test
	void ofWhenAKeyWithoutUserVerificationAndNoPasswordThenNothing() {
		assertThat(Assurance.of(with(List.of(factor(Factors.WEBAUTHN, SECOND_AT))))).isEmpty();
	}

	@Test
	void methodWhenEachWayOfSigningInThenItsSentenceAndLevel() {
		assertThat(Assurance.method(Assurance.factors(signedIn(Factors.TOTP)))).isEqualTo("code");
		assertThat(Assurance.method(Assurance.factors(signedIn(Factors.WEBAUTHN)))).isEqualTo("key");
		assertThat(Assurance.method(Assurance.factors(signedIn(Factors.RECOVERY_CODE)))).isEqualTo("recoveryCode");
		assertThat(Assurance.method(Assurance.factors(signedIn(Factors.TRUSTED_BROWSER)))).isEqualTo("trustedBrowser");
		assertThat(Assurance.of(signedIn(Factors.TRUSTED_BROWSER)).orElseThrow().level()).isEqualTo("aal1");
		assertThat(Assurance.factors(Factors.with(signedIn(Factors.TOTP), Factors.CONFIRMED, SECOND_AT)))
			.as("a confirmation later is not how the session signed in")
			.containsExactly(Factors.PASSWORD, Factors.TOTP);
	}

	@Test
	void signInStartedAtWhenATrustedBrowserStandsInForAnEarlierCodeThenThatCode() {
		Instant codeOnThatBrowser = PASSWORD_AT.minusSeconds(3600);
		Authentication trusted = with(
				List.of(factor(Factors.PASSWORD, PASSWORD_AT), factor(Factors.TRUSTED_BROWSER, codeOnThatBrowser)));
		assertThat(Factors.signInStartedAt(trusted)).contains(codeOnThatBrowser);
		assertThat(Assurance.of(trusted).orElseThrow().authTime()).as("the password was just proven")
			.isEqualTo(PASSWORD_AT);
	}

	@Test
	void ofWhenPendingOrAnonymousThenNothing() {
		assertThat(Assurance.of(with(List.of(factor(Factors.PASSWORD, PASSWORD_AT))))).isEmpty();
		assertThat(Assurance.of(new TestingAuthenticationToken("x", null, "ROLE_USER"))).isEmpty();
		assertThat(Assurance.of(null)).isEmpty();
	}

	@Test
	void meetsWhenLevelUnknownThenNever() {
		assertThat(Assurance.of(signedIn(Factors.TOTP)).orElseThrow().meets("urn:other:gold")).isFalse();
	}

	private static Authentication signedIn(String second) {
		return with(List.of(factor(Factors.PASSWORD, PASSWORD_AT), factor(second, SECOND_AT)));
	}

	private static Authentication with(List<GrantedAuthority> authorities) {
		return UsernamePasswordAuthenticationToken.authenticated("alice", null, new ArrayList<>(authorities));
	}

	private static GrantedAuthority factor(String authority, Instant at) {
		return FactorGrantedAuthority.withAuthority(authority).issuedAt(at).build();
	}

}
