package dev.totplogin.account;

/**
 * Published inside the registration transaction: other features set up their per-account
 * state.
 */
public record AccountRegistered(long accountId, String username) {
}
