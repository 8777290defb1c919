package dev.totplogin.totp;

import java.nio.charset.StandardCharsets;

import org.springframework.web.util.UriUtils;

/**
 * The {@code otpauth://} key URI that authenticator apps read from the QR code, built
 * here and never sent anywhere: googleauth's {@code getOtpAuthURL} would hand the secret
 * to a third-party QR web service.
 */
final class OtpAuthUri {

	private OtpAuthUri() {
	}

	/**
	 * {@code otpauth://totp/Issuer:username?secret=…&issuer=Issuer&algorithm=SHA1&digits=6&period=30}
	 */
	static String of(String issuer, String username, String base32Secret) {
		return "otpauth://totp/" + encode(issuer) + ":" + encode(username) + "?secret=" + encode(base32Secret)
				+ "&issuer=" + encode(issuer) + "&algorithm=SHA1&digits=" + TotpCodes.DIGITS + "&period="
				+ TotpCodes.STEP_MILLIS / 1000;
	}

	/**
	 * RFC 3986: everything but unreserved characters percent-encoded, so a space is
	 * {@code %20}, never {@code +}.
	 */
	private static String encode(String value) {
		return UriUtils.encode(value, StandardCharsets.UTF_8);
	}

}
