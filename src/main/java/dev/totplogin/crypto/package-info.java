/**
 * Secrets at rest: AES-256-GCM bound to a context, keyed hashes, and where the key comes
 * from (configuration, or a generated local file outside {@code prod}). Uses no other
 * package of the application.
 */
package dev.totplogin.crypto;
