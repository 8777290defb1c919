package dev.totplogin.totp;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Future time steps that a refused code matched, and that the clock-drift hint named: a
 * code of such a step is refused as used when its time comes. Without this, the hint
 * ("right about 3 minutes from now") would hand whoever knows the password a code that is
 * about to be valid, and each guess would cover some 20 steps instead of 3. The check is
 * part of {@link TotpRepository#useStep}'s one conditional update.
 */
@Component
class HintedSteps {

	private final JdbcTemplate jdbc;

	HintedSteps(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Remembers the step; forgets those the window has left behind. */
	void remember(long accountId, long step, long currentStep) {
		this.jdbc.update("delete from totp_hinted_step where account_id = ? and step < ?", accountId,
				currentStep - TotpCodes.WINDOW);
		try {
			this.jdbc.update("insert into totp_hinted_step (account_id, step) values (?, ?)", accountId, step);
		}
		catch (DuplicateKeyException alreadyThere) {
			// Two requests hinted the same step: it is remembered either way.
		}
	}

	void forget(long accountId) {
		this.jdbc.update("delete from totp_hinted_step where account_id = ?", accountId);
	}

}
