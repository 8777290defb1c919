/**
 * An account's email address: added at sign-up or on the account page, verified through a
 * link (a confirm button, never the GET alone), one verified address per account. Uses
 * {@code account}, {@code mail}, {@code audit} and {@code security}.
 */
package dev.totplogin.email;
