/**
 * Mail: an outbox written in the transaction of the change that causes a message,
 * delivered in the background by db-scheduler (SMTP, or {@code .eml} files by default),
 * links built from {@code app.base-url} only, and the security notifications. Uses
 * {@code account}, {@code audit}, {@code recovery} and {@code security} (whether a
 * password was proven, for the "password right, code wrong" notice).
 */
package dev.totplogin.mail;
