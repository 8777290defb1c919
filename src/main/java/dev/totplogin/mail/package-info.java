/**
 * Email, all of it off with {@code app.mail.enabled=false}: an account's address, added
 * at sign-up or on the account page and verified through a link (a confirm button, never
 * the GET alone), one verified address per account; and what is sent to it: an outbox
 * written in the transaction of the change that causes a message, delivered in the
 * background by db-scheduler (SMTP, or {@code .eml} files by default), links built from
 * {@code app.base-url} only, and the security notifications. Uses {@code account},
 * {@code audit}, {@code recovery} and {@code security} (whether a password was proven,
 * for the "password right, code wrong" notice).
 */
package dev.totplogin.mail;
