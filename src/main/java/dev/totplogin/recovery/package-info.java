/**
 * Recovery codes: their format, keyed hashes, single use under the second-factor lockout,
 * and the page that shows freshly issued codes once. Uses {@code account},
 * {@code crypto}, {@code lockout}, {@code audit}, {@code security} (the signed-in
 * account) and {@code totp} (the issuer's name).
 */
package dev.totplogin.recovery;
