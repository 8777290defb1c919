package dev.totplogin.securitykey;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.ImmutableCredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.JdbcUserCredentialRepository;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring Security's credential table, with what a new key means for its account: a valid
 * name, a credential that fits its columns, at most {@link SecurityKeys#MAX_PER_ACCOUNT}
 * keys, and the audit event (and so the mail) in the same transaction as the row. A save
 * of a known credential is a sign-in with it: new signature count and last use, if the
 * counter went up.
 */
class RecordedUserCredentials implements UserCredentialRepository {

	/** The width of Spring's text columns for ids and transports. */
	private static final int MAX_STORED_TEXT = 1000;

	/** WebAuthn defines six transports. */
	private static final int MAX_TRANSPORTS = 8;

	private final UserCredentialRepository credentials;

	private final JdbcOperations jdbc;

	private final PublicKeyCredentialUserEntityRepository userEntities;

	private final AccountRepository accounts;

	private final AuditLog audit;

	private final TransactionTemplate transaction;

	RecordedUserCredentials(JdbcOperations jdbc, PublicKeyCredentialUserEntityRepository userEntities,
			AccountRepository accounts, AuditLog audit, TransactionTemplate transaction) {
		this.credentials = new JdbcUserCredentialRepository(jdbc);
		this.jdbc = jdbc;
		this.userEntities = userEntities;
		this.accounts = accounts;
		this.audit = audit;
		this.transaction = transaction;
	}

	@Override
	public void save(CredentialRecord record) {
		if (this.credentials.findByCredentialId(record.getCredentialId()) != null) {
			used(record);
			return;
		}
		if (!SecurityKeyNames.isValid(record.getLabel())) {
			throw new RefusedCeremony("not a valid name for a security key");
		}
		if (record.getCredentialId().toBase64UrlString().length() > MAX_STORED_TEXT
				|| record.getTransports().size() > MAX_TRANSPORTS) {
			throw new RefusedCeremony("a credential too large to store");
		}
		PublicKeyCredentialUserEntity owner = this.userEntities.findById(record.getUserEntityUserId());
		long accountId = Optional.ofNullable(owner)
			.flatMap((entity) -> this.accounts.findByUsernameKey(Account.keyOf(entity.getName())))
			.orElseThrow(() -> new RefusedCeremony("no account for this key"))
			.getId();
		if (this.credentials.findByUserId(record.getUserEntityUserId()).size() >= SecurityKeys.MAX_PER_ACCOUNT) {
			throw new RefusedCeremony("the account has as many keys as it may have");
		}
		// Spring stamps a new key as used at its registration; kept equal to its
		// creation, so that the page can say "never" until it is really used.
		CredentialRecord stored = ImmutableCredentialRecord.fromCredentialRecord(record)
			.lastUsed(record.getCreated())
			.build();
		this.transaction.executeWithoutResult((status) -> {
			this.credentials.save(stored);
			this.audit.record(accountId, SecurityEventType.SECURITY_KEY_ADDED, record.getLabel());
		});
	}

	/**
	 * A sign-in with a known key: its new signature counter must be above the stored one
	 * (unless the key keeps none, as synced passkeys do), else the key may have been
	 * cloned. One conditional statement, so two uses of one assertion cannot both pass.
	 * (Spring's relying party compares the counter with the one of the registration
	 * only.)
	 */
	private void used(CredentialRecord record) {
		long count = record.getSignatureCount();
		int updated = this.jdbc.update(
				"update user_credentials set signature_count = ?, last_used = ? where credential_id = ?"
						+ " and (signature_count < ? or (signature_count = 0 and ? = 0))",
				count, Timestamp.from(record.getLastUsed()), record.getCredentialId().toBase64UrlString(), count,
				count);
		if (updated != 1) {
			throw new RefusedCeremony("the signature counter did not go up");
		}
	}

	@Override
	public void delete(Bytes credentialId) {
		this.credentials.delete(credentialId);
	}

	@Override
	public CredentialRecord findByCredentialId(Bytes credentialId) {
		return this.credentials.findByCredentialId(credentialId);
	}

	@Override
	public List<CredentialRecord> findByUserId(Bytes userId) {
		return this.credentials.findByUserId(userId);
	}

}
