package dev.totplogin.totp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OtpAuthUriTests {

	@Test
	void ofWhenPlainNamesThenGoogleAuthenticatorKeyUriFormat() {
		assertThat(OtpAuthUri.of("Acme", "alice", "JBSWY3DPEHPK3PXP")).isEqualTo(
				"otpauth://totp/Acme:alice?secret=JBSWY3DPEHPK3PXP&issuer=Acme&algorithm=SHA1&digits=6&period=30");
	}

	@Test
	void ofWhenNamesHaveReservedCharactersThenPercentEncodedPerRfc3986() {
		String uri = OtpAuthUri.of("Acme & Co: Login", "bob@example.org", "JBSWY3DPEHPK3PXP");
		assertThat(uri).startsWith("otpauth://totp/Acme%20%26%20Co%3A%20Login:bob%40example.org?")
			.contains("&issuer=Acme%20%26%20Co%3A%20Login&")
			.doesNotContain("+");
	}

}
