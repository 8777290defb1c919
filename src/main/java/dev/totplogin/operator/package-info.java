/**
 * The operator's command line: {@code --reset-2fa=<username>} for a person who lost their
 * phone and every recovery code, {@code --rotate-signing-key} for the OpenID Connect
 * provider's keys. Uses {@code account}, {@code totp}, {@code recovery}, {@code lockout},
 * {@code audit} and {@code oidc}.
 */
package dev.totplogin.operator;
