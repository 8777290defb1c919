/**
 * The audit log: security events in the {@code security_event} table and as structured
 * log lines, shown to the account's owner on the account page. Uses {@code account} (its
 * registration event).
 */
package dev.totplogin.audit;
