/**
 * The sign-in journey's pages: sign-up, the password form, enrollment, the code step and
 * recovery-code sign-in, each moving the session on through {@code security.SignInState}.
 * Uses {@code security}, {@code account}, {@code totp}, {@code recovery} and
 * {@code lockout}.
 */
package dev.totplogin.signin;
