/**
 * Metrics for Prometheus ({@code /actuator/prometheus}, on the management port only):
 * sign-in outcomes by step and result, lockouts, recovery codes used, password resets,
 * hashing places, the mail outbox and the signed-in sessions, every label from a fixed
 * list (docs/metrics.md). Counted from the audit events where there is one, else from a
 * count the owning package keeps. Uses {@code audit} (its events), {@code hashing}
 * (places in use and waiting, "busy" answers), {@code lockout} (refusals of a locked
 * client), {@code mail} (the outbox, the messages dropped), {@code security} (signed-in
 * sessions) and {@code signin} (reset requests).
 */
package dev.totplogin.metrics;
