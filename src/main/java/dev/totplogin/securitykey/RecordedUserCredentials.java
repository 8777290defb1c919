package dev.totplogin.securitykey;

import java.util.List;
import java.util.Optional;

import dev.totplogin.account.Account;
import dev.totplogin.account.AccountRepository;
import dev.totplogin.audit.AuditLog;
import dev.totplogin.audit.SecurityEventType;

import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring Security's credential table, with what a new key means for its account: a valid
 * name, and the audit event (and so the mail) in the same transaction as the row. A save
 * of a known credential is a sign-in with it (new signature count, last used) and is
 * passed on as it is.
 */
class RecordedUserCredentials implements UserCredentialRepository {

	private final UserCredentialRepository credentials;

	private final PublicKeyCredentialUserEntityRepository userEntities;

	private final AccountRepository accounts;

	private final AuditLog audit;

	private final TransactionTemplate transaction;

	RecordedUserCredentials(UserCredentialRepository credentials, PublicKeyCredentialUserEntityRepository userEntities,
			AccountRepository accounts, AuditLog audit, TransactionTemplate transaction) {
		this.credentials = credentials;
		this.userEntities = userEntities;
		this.accounts = accounts;
		this.audit = audit;
		this.transaction = transaction;
	}

	@Override
	public void save(CredentialRecord record) {
		if (this.credentials.findByCredentialId(record.getCredentialId()) != null) {
			this.credentials.save(record);
			return;
		}
		if (!SecurityKeyNames.isValid(record.getLabel())) {
			throw new IllegalArgumentException("not a valid name for a security key");
		}
		PublicKeyCredentialUserEntity owner = this.userEntities.findById(record.getUserEntityUserId());
		long accountId = Optional.ofNullable(owner)
			.flatMap((entity) -> this.accounts.findByUsernameKey(Account.keyOf(entity.getName())))
			.orElseThrow(() -> new IllegalArgumentException("no account for this key"))
			.getId();
		this.transaction.executeWithoutResult((status) -> {
			this.credentials.save(record);
			this.audit.record(accountId, SecurityEventType.SECURITY_KEY_ADDED, record.getLabel());
		});
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
