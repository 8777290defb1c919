package dev.totplogin.signin;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.totplogin.lockout.AttemptMessages;
import dev.totplogin.lockout.Attempts;
import dev.totplogin.lockout.Budget;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.BindingResult;

/**
 * The forms of the second step (the code, the recovery code): shown with the lock's
 * message at once when the account's second factor is locked, and again after a refusal
 * with the reason next to the field.
 */
@Component
class CodeStep {

	private final Attempts attempts;

	private final Clock clock;

	private final JdbcTemplate jdbc;

	CodeStep(Attempts attempts, Clock clock, JdbcTemplate jdbc) {
		this.attempts = attempts;
		this.clock = clock;
		this.jdbc = jdbc;
	}

	/**
	 * The code page's form, as {@link #addForm} makes it, and whether the account has a
	 * security key to offer instead ({@code hasSecurityKey}): both read in one statement,
	 * the second-factor lock as {@link Attempts#lockedUntil} reads it and the keys as
	 * {@code SecurityKeys.any} counts them, since this page is on every sign-in's way
	 * (issue 32).
	 */
	void addCodePage(Model model, CodeForm form, long accountId, String username) {
		Map.Entry<Optional<Instant>, Boolean> facts = this.jdbc.queryForObject(
				"select (select t.locked_until "
						+ "from auth_throttle t where t.account_id = ? and t.factor = ?), (select count(*) from "
						+ "user_credentials c join user_entities e on e.id = c.user_entity_user_id where e.name = ?)",
				(row, n) -> Map.entry(Optional.ofNullable(row.getTimestamp(1)).map(Timestamp::toInstant),
						row.getLong(2) > 0),
				accountId, Budget.SECOND_FACTOR.name(), username);
		Instant now = this.clock.instant();
		add(model, "codeForm", form, facts.getKey().filter(now::isBefore), "code", AttemptMessages.Typed.CODE);
		model.addAttribute("hasSecurityKey", facts.getValue());
	}

	/**
	 * The code form for a page that takes a second factor: with the lock's message at
	 * once if the account's second factor is locked now, so that nobody types a right
	 * code only to have it refused.
	 */
	void addForm(Model model, String name, Object form, long accountId, String field, AttemptMessages.Typed typed) {
		add(model, name, form, this.attempts.lockedUntil(accountId, Budget.SECOND_FACTOR), field, typed);
	}

	private void add(Model model, String name, Object form, Optional<Instant> lockedUntil, String field,
			AttemptMessages.Typed typed) {
		BindingResult result = new BeanPropertyBindingResult(form, name);
		lockedUntil.ifPresent((until) -> AttemptMessages.rejectLocked(result, field, until, this.clock, typed));
		model.addAttribute(name, form);
		model.addAttribute(BindingResult.MODEL_KEY_PREFIX + name, result);
	}

}
