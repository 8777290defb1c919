package dev.totplogin.operator;

import java.io.PrintStream;

import dev.totplogin.oidc.SigningKeys;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar totp-login.jar --rotate-signing-key}: a new key signs the OpenID
 * Connect tokens from now on; the old one stays in the JWKS for an hour, past the life of
 * every token it signed, so no client sees a valid token fail. Every running instance
 * takes the new key within 30 seconds. Run like {@code --reset-2fa}
 * ({@link ResetSecondFactorCommand#run}).
 */
@Component
class RotateSigningKeyCommand implements ApplicationRunner {

	static final String OPTION = "rotate-signing-key";

	private final SigningKeys keys;

	private final PrintStream out = System.out;

	RotateSigningKeyCommand(SigningKeys keys) {
		this.keys = keys;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!args.containsOption(OPTION)) {
			return;
		}
		String kid = this.keys.rotate();
		this.out.println("New token signing key " + kid + " signs from now on (running instances take it within "
				+ "30 seconds); the previous key stays published for an hour, until the tokens it signed expire.");
	}

}
