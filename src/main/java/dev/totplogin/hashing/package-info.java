/**
 * Password hashing: Argon2id behind a bound on how many hashes run and wait at once, and
 * the "busy" answer (503) when that bound is reached, also per client address. Uses
 * {@code audit} (the client's address) only.
 */
package dev.totplogin.hashing;
