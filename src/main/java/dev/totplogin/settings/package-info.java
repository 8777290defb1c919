/**
 * The account security page and its actions (change password, new recovery codes, move to
 * a new phone, sign out everywhere else, sessions, trusted browsers, security keys,
 * delete the account), each behind the step-up rule, and the applications signed in to
 * through the OpenID Connect provider (signing out of one needs no fresh proof), the
 * download of the account's data, and "confirm it's you" as an authentication mechanism
 * of a signed-in session ({@code StepUpConfigurer}). Uses {@code security},
 * {@code signin} (the second factors' providers, the reset requests a deletion removes),
 * {@code account}, {@code totp}, {@code recovery}, {@code lockout}, {@code hashing} (its
 * "busy" answer), {@code audit}, {@code mail} (the account's email address),
 * {@code trustedbrowser}, {@code securitykey} and {@code oidc}.
 */
package dev.totplogin.settings;
