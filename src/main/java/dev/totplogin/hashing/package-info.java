/**
 * Password hashing: Argon2id behind a bound on how many hashes run and wait at once, and
 * the "busy" answer (503) when that bound is reached. Uses no other package of the
 * application.
 */
package dev.totplogin.hashing;
