package dev.totplogin.securitykey;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventRecorded;
import dev.totplogin.audit.SecurityEventType;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * An account's security keys and passkeys: the list on the account page, whether the code
 * page offers a key, which account a credential belongs to (a passkey's sign-in names
 * none), removal (never of the account's last way back in), and removal of all of them
 * when an operator resets the account's second factor (the person has lost their
 * devices).
 */
@Component
public class SecurityKeys {

	/** Enough for a key on the keyring, a spare in a drawer and a passkey per device. */
	static final int MAX_PER_ACCOUNT = 10;

	private final PublicKeyCredentialUserEntityRepository userEntities;

	private final UserCredentialRepository credentials;

	private final AccountRepository accounts;

	private final AuditLog audit;

	private final JdbcOperations jdbc;

	SecurityKeys(PublicKeyCredentialUserEntityRepository userEntities, UserCredentialRepository credentials,
			AccountRepository accounts, AuditLog audit, JdbcOperations jdbc) {
		this.userEntities = userEntities;
		this.credentials = credentials;
		this.accounts = accounts;
		this.audit = audit;
		this.jdbc = jdbc;
	}

	/**
	 * Whose credential this is, and what it may do.
	 *
	 * @param username the account's username (the user entity's name)
	 * @param signsInAlone registered as a passkey, with user verification
	 * @param backupEligible the passkey may be synced to other devices
	 */
	public record Owner(String username, boolean signsInAlone, boolean backupEligible) {
	}

	/** The owner of a stored credential; empty for one this application does not know. */
	public Optional<Owner> ownerOf(Bytes credentialId) {
		if (credentialId == null) {
			return Optional.empty();
		}
		return this.jdbc
			.query("select e.name, c.registered_as_passkey, c.uv_initialized, c.backup_eligible"
					+ " from user_credentials c join user_entities e on e.id = c.user_entity_user_id"
					+ " where c.credential_id = ?",
					(row, n) -> new Owner(row.getString(1), row.getBoolean(2) && row.getBoolean(3), row.getBoolean(4)),
					credentialId.toBase64UrlString())
			.stream()
			.findFirst();
	}

	/** Newest first. */
	public List<SecurityKey> of(String username) {
		List<CredentialRecord> records = records(username);
		Set<String> alone = signingInAlone(records);
		return records.stream()
			.map((record) -> new SecurityKey(record.getCredentialId().toBase64UrlString(), record.getLabel(),
					record.getCreated(), usedSince(record),
					alone.contains(record.getCredentialId().toBase64UrlString()), record.isBackupState()))
			.sorted(Comparator.comparing(SecurityKey::addedAt).reversed())
			.toList();
	}

	private Set<String> signingInAlone(List<CredentialRecord> records) {
		if (records.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(this.jdbc.queryForList(
				"select credential_id from user_credentials where user_entity_user_id = ?"
						+ " and registered_as_passkey and uv_initialized",
				String.class, records.get(0).getUserEntityUserId().toBase64UrlString()));
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
	 * @throws LastWayIn for the last passkey of an account without an authenticator app
	 */
	@Transactional
	public Optional<String> remove(long accountId, String username, String keyId) {
		List<CredentialRecord> records = records(username);
		Optional<CredentialRecord> key = records.stream()
			.filter((record) -> record.getCredentialId().toBase64UrlString().equals(keyId))
			.findFirst();
		Set<String> alone = signingInAlone(records);
		if (key.isPresent() && alone.equals(Set.of(keyId))
				&& this.accounts.findById(accountId).filter(Account::isTotpEnabled).isEmpty()) {
			throw new LastWayIn();
		}
		key.ifPresent((record) -> {
			delete(record);
			this.audit.record(accountId, SecurityEventType.SECURITY_KEY_REMOVED, record.getLabel());
		});
		return key.map(CredentialRecord::getLabel);
	}

	/**
	 * Deletes every key of the account and its WebAuthn user entity, without an event
	 * each (the account is being deleted, in the caller's transaction).
	 */
	@Transactional
	public void forgetAll(String username) {
		PublicKeyCredentialUserEntity entity = this.userEntities.findByUsername(username);
		if (entity != null) {
			records(username).forEach(this::delete);
			this.userEntities.delete(entity.getId());
		}
	}

	/**
	 * The key is the account's last passkey, and the account has no authenticator app:
	 * without it, the account would have no second factor to sign in with (a security key
	 * completes a sign-in only next to the app).
	 */
	public static final class LastWayIn extends RuntimeException {

		LastWayIn() {
			super("the account's last key, without an authenticator app");
		}

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
