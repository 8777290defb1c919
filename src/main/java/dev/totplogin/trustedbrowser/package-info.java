/**
 * Trusted browsers: "don't ask for a code on this browser for 30 days". A
 * {@code TRUSTED_BROWSER} cookie holds an id and a 256-bit secret of which only the
 * SHA-256 is stored; at a later sign-in of the same account on that browser, within the
 * absolute limit of the last code, key or recovery code proven there, it stands in for
 * the code (an aal1 sign-in), never for the fresh proof an account action needs. Revoked
 * by every credential change, by "sign out everywhere else", by an operator reset, on
 * {@code /account}, and by expiry. Uses {@code audit} and {@code crypto} (the secret's
 * hash).
 */
package dev.totplogin.trustedbrowser;
