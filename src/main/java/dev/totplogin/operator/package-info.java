/**
 * The operator's command line: {@code --reset-2fa=<username>} for a person who lost their
 * phone and every recovery code. Uses {@code account}, {@code totp}, {@code recovery},
 * {@code lockout} and {@code audit}.
 */
package dev.totplogin.operator;
