/**
 * The filter chain and the sign-in states: factor authorities, the partial-authentication
 * filter that holds a password-only session on its 2FA page, session validity, the
 * password step, the recent proof of a second factor that account actions accept. Uses
 * {@code account}, {@code lockout}, {@code hashing}, {@code audit} and {@code crypto};
 * never the pages that drive the journey ({@code signin}).
 */
package dev.totplogin.security;
