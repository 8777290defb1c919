/**
 * Accounts: the entity and its repository, registration, the password policy (with the
 * optional lookup of known breaches), the quarantine of a deleted account's username, and
 * the validator every new-password form binds. Uses {@code crypto} (the tokens of its
 * links); the others build on it.
 */
package dev.totplogin.account;
