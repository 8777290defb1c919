/**
 * Brute-force limits: one attempt sequence ({@link dev.totplogin.lockout.Attempts}) with
 * per-account budgets for the password and the second factor, and the per-client budget
 * of failed password steps ({@link dev.totplogin.lockout.ClientPasswordLimit}), kept in
 * the database. Uses {@code account} (its registration event), {@code audit} and
 * {@code crypto} (keys stored as their SHA-256).
 */
package dev.totplogin.lockout;
