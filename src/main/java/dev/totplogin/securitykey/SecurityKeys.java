package dev.totplogin.securitykey;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventRecorded;
import dev.totplogin.audit.SecurityEventType;

import org.springframework.context.event.EventListener;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * An account's security keys: the list on the account page, whether the code page offers
 * a key, removal, and removal of all of them when an operator resets the account's second
 * factor (the person has lost their devices).
 */
@Component
public class SecurityKeys {

	/** Enough for a key on the keyring, a spare in a drawer and a passkey per device. */
	static final int MAX_PER_ACCOUNT = 10;

	private final PublicKeyCredentialUserEntityRepository userEntities;

	private final UserCredentialRepository credentials;

	private final AccountRepository accounts;

	private final AuditLog audit;

	SecurityKeys(PublicKeyCredentialUserEntityRepository userEntities, UserCredentialRepository credentials,
			AccountRepository accounts, AuditLog audit) {
		this.userEntities = userEntities;
		this.credentials = credentials;
		this.accounts = accounts;
		this.audit = audit;
	}

	/** Newest first. */
	public List<SecurityKey> of(String username) {
		return records(username).stream()
			.map((record) -> new SecurityKey(record.getCredentialId().toBase64UrlString(), record.getLabel(),
					record.getCreated(), usedSince(record)))
			.sorted(Comparator.comparing(SecurityKey::addedAt).reversed())
			.toList();
	}

	public boolean any(String username) {
		return !records(username).isEmpty();
	}

	/** Whether the credential is one of the account's keys. */
	public boolean belongsTo(String username, Bytes credentialId) {
		PublicKeyCredentialUserEntity entity = this.userEntities.findByUsername(username);
		CredentialRecord key = (credentialId == null) ? null : this.credentials.findByCredentialId(credentialId);
		return entity != null && key != null && entity.getId().equals(key.getUserEntityUserId());
	}

	/**
	 * Removes one of the account's keys (a key of another account is left alone).
	 * @return its name, if it was the account's
	 */
	@Transactional
	public Optional<String> remove(long accountId, String username, String keyId) {
		Optional<CredentialRecord> key = records(username).stream()
			.filter((record) -> record.getCredentialId().toBase64UrlString().equals(keyId))
			.findFirst();
		key.ifPresent((record) -> {
			delete(record);
			this.audit.record(accountId, SecurityEventType.SECURITY_KEY_REMOVED, record.getLabel());
		});
		return key.map(CredentialRecord::getLabel);
	}

	@EventListener
	void onSecurityEvent(SecurityEventRecorded event) {
		if (event.type() == SecurityEventType.ADMIN_RESET && event.accountId() != null) {
			this.accounts.findById(event.accountId())
				.ifPresent((account) -> records(account.getUsername()).forEach(this::delete));
		}
	}

	private void delete(CredentialRecord record) {
		this.credentials.delete(record.getCredentialId());
	}

	/**
	 * A key is stored with its last use at its creation (see
	 * {@link RecordedUserCredentials}): only a later one is a use.
	 */
	private static Instant usedSince(CredentialRecord record) {
		Instant lastUsed = record.getLastUsed();
		return (lastUsed != null && record.getCreated() != null && lastUsed.isAfter(record.getCreated())) ? lastUsed
				: null;
	}

	private List<CredentialRecord> records(String username) {
		PublicKeyCredentialUserEntity entity = this.userEntities.findByUsername(username);
		return (entity == null) ? List.of() : this.credentials.findByUserId(entity.getId());
	}

}
