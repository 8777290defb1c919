package dev.totplogin.totp;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.lockout.AttemptResult;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;

/**
 * What the setup page shows of a secret being enrolled, for first enrollment and for a
 * new phone alike: the key for typing in (in groups of four), the {@code otpauth://} URI
 * and its QR code, drawn here and never cached.
 */
@Component
public class SetupView {

	private final TotpProperties properties;

	private final QrCodeRenderer qrCodes;

	SetupView(TotpProperties properties, QrCodeRenderer qrCodes) {
		this.properties = properties;
		this.qrCodes = qrCodes;
	}

	/**
	 * The page's model for the secret; the form posts to {@code formAction}, the image is
	 * at {@code qrUrl}.
	 */
	public void addTo(Model model, String username, String secret, String formAction, String qrUrl) {
		model.addAttribute("formAction", formAction);
		model.addAttribute("qrUrl", qrUrl);
		model.addAttribute("username", username);
		model.addAttribute("issuer", this.properties.issuer());
		model.addAttribute("secret", secret);
		model.addAttribute("secretGroups", String.join(" ", secret.split("(?<=\\G.{4})")));
		// Pairs of groups that each keep together: the key wraps between pairs, never
		// leaving one group of four alone on a line.
		String[] groups = secret.split("(?<=\\G.{4})");
		List<String> pairs = new ArrayList<>();
		for (int i = 0; i < groups.length; i += 2) {
			pairs.add(String.join(" ", Arrays.copyOfRange(groups, i, Math.min(i + 2, groups.length))));
		}
		model.addAttribute("secretPairs", pairs);
		model.addAttribute("otpauthUri", OtpAuthUri.of(this.properties.issuer(), username, secret));
	}

	/**
	 * Says on the page that the key is new when an earlier one of this setup was shown
	 * before (see {@link AuthenticatorSetup#enrollmentRestarted}).
	 */
	public void addRestarted(Model model, boolean restarted) {
		model.addAttribute("restarted", restarted);
	}

	/**
	 * Puts the message for a refused setup code next to the field: a code of the key
	 * shown before says so, with the entry's name in the app (the issuer); any other as
	 * for every code ({@link AttemptMessages}).
	 * @param replacing a new phone's setup, not the first enrollment
	 */
	public void rejectCode(BindingResult result, String field, AttemptResult attempt, Clock clock, boolean replacing) {
		if (attempt.status() == AttemptResult.Status.EARLIER_KEY) {
			result.rejectValue(field, replacing ? "replace.earlierKeyCode" : "setup.earlierKeyCode",
					new Object[] { this.properties.issuer() }, null);
			AttemptMessages.warnIfFewLeft(result, field, attempt);
			return;
		}
		AttemptMessages.rejectCode(result, field, attempt, clock);
	}

	/** The QR code of the secret as PNG, or 404 when there is none to show. */
	public ResponseEntity<byte[]> qrCode(String username, Optional<String> secret) {
		if (secret.isEmpty()) {
			return ResponseEntity.notFound().cacheControl(CacheControl.noStore()).build();
		}
		byte[] png = this.qrCodes.png(OtpAuthUri.of(this.properties.issuer(), username, secret.get()));
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.IMAGE_PNG).body(png);
	}

}
