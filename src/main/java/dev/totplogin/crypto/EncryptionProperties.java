package dev.totplogin.crypto;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Keys that protect TOTP secrets at rest ({@code app.security.encryption.*}).
 *
 * @param key the current AES-256 key, base64 (32 bytes); env
 * {@code APP_SECURITY_ENCRYPTION_KEY}
 * @param previousKeys keys being rotated out: still decrypt, never encrypt
 * @param keyFile where the local default keeps a generated key when none is configured
 * (never in the {@code prod} profile)
 */
@ConfigurationProperties("app.security.encryption")
public record EncryptionProperties(String key, @DefaultValue List<String> previousKeys,
		@DefaultValue("./data/encryption.key") Path keyFile) {
}
