/**
 * The account security page and its actions (change password, new recovery codes, move to
 * a new phone, sign out everywhere else), each with fresh proof. Uses {@code security},
 * {@code account}, {@code totp}, {@code recovery}, {@code lockout} and {@code audit}.
 */
package dev.totplogin.settings;
