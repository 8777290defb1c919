package dev.totplogin.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Where the encryption key comes from: {@code app.security.encryption.key} (or
 * {@code APP_SECURITY_ENCRYPTION_KEY}). Only for the zero-setup local default, a missing
 * key is generated once into {@code ./data/encryption.key} (owner-only); the {@code prod}
 * profile refuses to start without a configured key.
 */
@Configuration(proxyBeanMethods = false)
class EncryptionConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EncryptionConfiguration.class);

	@Bean
	SecretCipher secretCipher(EncryptionProperties properties, Environment environment) {
		byte[] current;
		if (properties.key() != null && !properties.key().isBlank()) {
			current = decode(properties.key(), "app.security.encryption.key");
		}
		else if (environment.acceptsProfiles(Profiles.of("prod"))) {
			throw new IllegalStateException("The prod profile needs an encryption key: set APP_SECURITY_ENCRYPTION_KEY "
					+ "(32 random bytes, base64; e.g. `openssl rand -base64 32`)");
		}
		else {
			current = localKey(properties.keyFile());
		}
		List<byte[]> previous = properties.previousKeys()
			.stream()
			.map((key) -> decode(key, "app.security.encryption.previous-keys"))
			.toList();
		return new SecretCipher(current, previous);
	}

	private static byte[] localKey(Path file) {
		try {
			if (!Files.exists(file)) {
				byte[] key = new byte[32];
				new SecureRandom().nextBytes(key);
				Path directory = file.toAbsolutePath().getParent();
				Files.createDirectories(directory);
				try {
					Files.createFile(file,
							PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
				}
				catch (UnsupportedOperationException ex) {
					Files.createFile(file);
				}
				catch (FileAlreadyExistsException ex) {
					return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
				}
				Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII,
						StandardOpenOption.TRUNCATE_EXISTING);
				log.warn(
						"No app.security.encryption.key configured: generated one into {} for local use. "
								+ "Configure APP_SECURITY_ENCRYPTION_KEY in production (the prod profile requires it).",
						file);
				return key;
			}
			log.warn("No app.security.encryption.key configured: using the local key file {}", file);
			return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read or create the encryption key file " + file, ex);
		}
	}

	private static byte[] decode(String base64, String source) {
		try {
			byte[] key = Base64.getDecoder().decode(base64.strip());
			if (key.length != 32) {
				throw new IllegalStateException(source + " must be 32 bytes in base64, it has " + key.length);
			}
			return key;
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(source + " is not valid base64", ex);
		}
	}

}
