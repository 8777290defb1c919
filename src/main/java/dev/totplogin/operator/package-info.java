/**
 * The operator's command line: {@code --reset-2fa=<username>} for a person who lost their
 * phone and every recovery code, {@code --grant-admin=<username>} and
 * {@code --revoke-admin=<username>} (the only way to the admin console's role),
 * {@code --disable=<username>} and {@code --enable=<username>} (the console's, and the
 * way back for a disabled administrator), {@code --rotate-signing-key} for the OpenID
 * Connect provider's keys. Uses {@code admin} (the one service the console shares),
 * {@code account} and {@code oidc}.
 */
package dev.totplogin.operator;
