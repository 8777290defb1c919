/**
 * Security keys and passkeys (WebAuthn): a security key is a second factor after the
 * password; a passkey registered with user verification may also sign in on its own.
 * Spring Security's WebAuthn support does the ceremonies; this package gives it its
 * relying party (from {@code app.base-url}, with the two kinds of registration and the
 * flags of each use), its JDBC tables, the audit events and mails of a key added or
 * removed, the account's list of keys, the gate that keeps a registration's challenge
 * only while the session has fresh proof, and a guard that keeps the JSON endpoints'
 * bodies small and turns a refused ceremony into a 400. Uses {@code account},
 * {@code audit}, {@code mail} (the site's address, {@code app.base-url}),
 * {@code security} (fresh proof, signed-in sessions) and {@code totp} (the issuer's
 * name).
 */
package dev.totplogin.securitykey;
