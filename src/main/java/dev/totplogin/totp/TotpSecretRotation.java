package dev.totplogin.totp;

import dev.totplogin.account.Account;
import dev.totplogin.crypto.SecretCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Key rotation: at start-up, re-encrypts with the current key every TOTP secret still
 * encrypted with a previous key (and encrypts any left in plain text by an older
 * version). Once it has run, the previous key can be removed from
 * {@code app.security.encryption.previous-keys}.
 */
@Component
class TotpSecretRotation implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(TotpSecretRotation.class);

	private final TotpRepository authenticators;

	private final PendingAuthenticatorRepository pending;

	private final SecretCipher cipher;

	TotpSecretRotation(TotpRepository authenticators, PendingAuthenticatorRepository pending, SecretCipher cipher) {
		this.authenticators = authenticators;
		this.pending = pending;
		this.cipher = cipher;
	}

	@Override
	public void run(ApplicationArguments args) {
		int rotated = 0;
		for (Account account : this.authenticators.findWithSecretsNotStartingWith(this.cipher.currentPrefix())) {
			String context = TotpService.context(account.getId());
			String secret = account.getTotpSecret();
			if (secret != null && !this.cipher.isCurrent(secret)) {
				rotated += this.authenticators.replaceSecret(account.getId(), secret, reencrypt(secret, context));
			}
		}
		for (PendingAuthenticator setup : this.pending.findWithSecretsNotStartingWith(this.cipher.currentPrefix())) {
			String context = TotpService.context(setup.getAccountId());
			rotated += this.pending.replaceSecret(setup.getId(), setup.getSecret(),
					reencrypt(setup.getSecret(), context));
		}
		if (rotated > 0) {
			log.info("Re-encrypted {} TOTP secrets with the current key", rotated);
		}
	}

	private String reencrypt(String stored, String context) {
		String plaintext = stored.startsWith("v1.") ? this.cipher.decrypt(stored, context) : stored;
		return this.cipher.encrypt(plaintext, context);
	}

}
