package dev.totplogin.totp;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

import dev.totplogin.account.Account;

import org.springframework.stereotype.Service;

/** Enrollment and verification of an account's authenticator, backed by the account record. */
@Service
class TotpService {

	enum Result {

		ACCEPTED,
		/** Not the code of the current step or of one step either side. */
		INVALID,
		/** The right code, but its step (or a later one) was used already. */
		REPLAYED

	}

	private final TotpRepository accounts;

	private final TotpCodes codes;

	private final Clock clock;

	TotpService(TotpRepository accounts, TotpCodes codes, Clock clock) {
		this.accounts = accounts;
		this.codes = codes;
		this.clock = clock;
	}

	Account account(long accountId) {
		return this.accounts.findById(accountId).orElseThrow();
	}

	/**
	 * The secret being enrolled: created at the first visit and kept until enrollment succeeds, so a reload never
	 * replaces a key the person has already scanned. Empty if the account already has an authenticator.
	 */
	Optional<String> enrollmentSecret(long accountId) {
		Account account = account(accountId);
		if (account.isTotpEnabled()) {
			return Optional.empty();
		}
		if (account.getPendingTotpSecret() == null) {
			this.accounts.beginEnrollment(accountId, this.codes.newSecret());
			// Re-read: if two requests raced, both show the secret that won.
			account = account(accountId);
		}
		return Optional.ofNullable(account.getPendingTotpSecret());
	}

	Result confirmEnrollment(long accountId, String code) {
		String secret = account(accountId).getPendingTotpSecret();
		if (secret == null) {
			return Result.INVALID;
		}
		OptionalLong step = this.codes.matchingStep(secret, code);
		if (step.isEmpty()) {
			return Result.INVALID;
		}
		int updated = this.accounts.confirmEnrollment(accountId, secret, step.getAsLong(), this.clock.instant());
		return (updated == 1) ? Result.ACCEPTED : Result.REPLAYED;
	}

	Result verify(long accountId, String code) {
		String secret = account(accountId).getTotpSecret();
		if (secret == null) {
			return Result.INVALID;
		}
		OptionalLong step = this.codes.matchingStep(secret, code);
		if (step.isEmpty()) {
			return Result.INVALID;
		}
		return (this.accounts.useStep(accountId, step.getAsLong()) == 1) ? Result.ACCEPTED : Result.REPLAYED;
	}

}
