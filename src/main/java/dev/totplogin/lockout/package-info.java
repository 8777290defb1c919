/**
 * Brute-force limits: one attempt sequence ({@link dev.totplogin.lockout.Attempts}) with
 * per-account budgets for the password and the second factor, kept in the database. Uses
 * {@code account} (its registration event) and {@code audit}.
 */
package dev.totplogin.lockout;
