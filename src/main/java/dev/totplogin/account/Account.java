package dev.totplogin.account;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A person's account. The TOTP columns are written only through conditional updates in
 * {@code totp.TotpRepository}, so that concurrent requests cannot both win.
 */
@Entity
@Table(name = "account")
public class Account {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(nullable = false, length = 64)
	private String username;

	/** Lower-cased username: makes usernames unique without regard to case. */
	@Column(name = "username_key", nullable = false, length = 64, unique = true)
	private String usernameKey;

	@Column(name = "password_hash", nullable = false)
	private String passwordHash;

	@Column(name = "totp_secret")
	private String totpSecret;

	@Column(name = "totp_enabled_at")
	private Instant totpEnabledAt;

	@Column(name = "authenticator_changed_at")
	private Instant authenticatorChangedAt;

	@Column(name = "recovery_codes_saved", nullable = false)
	private boolean recoveryCodesSaved = true;

	@Column(name = "last_totp_step", nullable = false)
	private long lastTotpStep;

	@Column(name = "session_epoch", nullable = false)
	private int sessionEpoch;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	/** As typed; verified or not. */
	@Column(name = "email", length = 254)
	private String email;

	@Column(name = "email_verified_at")
	private Instant emailVerifiedAt;

	/** The verified address in lower case, for uniqueness; null while unverified. */
	@Column(name = "email_key", length = 254)
	private String emailKey;

	/** The role ADMIN, granted and revoked only from the command line. */
	@Column(name = "admin", nullable = false)
	private boolean admin;

	/** When an administrator disabled the account; null while it may sign in. */
	@Column(name = "disabled_at")
	private Instant disabledAt;

	protected Account() {
	}

	Account(String username, String passwordHash, Instant createdAt) {
		this.username = username;
		this.usernameKey = keyOf(username);
		this.passwordHash = passwordHash;
		this.createdAt = createdAt;
	}

	/**
	 * The form of a verified address that uniqueness and look-ups use (addresses are
	 * compared without case).
	 */
	public static String emailKeyOf(String email) {
		return email.strip().toLowerCase(Locale.ROOT);
	}

	/** The form of a username that uniqueness and look-ups use. */
	public static String keyOf(String username) {
		return username.strip().toLowerCase(Locale.ROOT);
	}

	public Long getId() {
		return this.id;
	}

	public String getUsername() {
		return this.username;
	}

	public String getPasswordHash() {
		return this.passwordHash;
	}

	public String getTotpSecret() {
		return this.totpSecret;
	}

	public Instant getTotpEnabledAt() {
		return this.totpEnabledAt;
	}

	/** When the account last moved to a new phone, or null. */
	public Instant getAuthenticatorChangedAt() {
		return this.authenticatorChangedAt;
	}

	/** Whether the person confirmed saving the newest recovery codes. */
	public boolean isRecoveryCodesSaved() {
		return this.recoveryCodesSaved;
	}

	public boolean isTotpEnabled() {
		return this.totpSecret != null;
	}

	public long getLastTotpStep() {
		return this.lastTotpStep;
	}

	public int getSessionEpoch() {
		return this.sessionEpoch;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public String getEmail() {
		return this.email;
	}

	public boolean isEmailVerified() {
		return this.email != null && this.emailVerifiedAt != null;
	}

	/** The address security notifications go to: a verified one only. */
	public Optional<String> verifiedEmail() {
		return isEmailVerified() ? Optional.of(this.email) : Optional.empty();
	}

	public boolean isAdmin() {
		return this.admin;
	}

	public Instant getDisabledAt() {
		return this.disabledAt;
	}

	/**
	 * Disabled by an administrator: every way in (password, passkey, password reset) is
	 * refused with the ordinary answer.
	 */
	public boolean isDisabled() {
		return this.disabledAt != null;
	}

}
