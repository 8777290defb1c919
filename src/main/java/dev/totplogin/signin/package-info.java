/**
 * The sign-in journey's pages: sign-up, the password form, enrollment, the code step, the
 * security-key step (Spring Security's {@code /login/webauthn}, limited to the pending
 * account) and recovery-code sign-in, each moving the session on through
 * {@code security.SignInState}. Uses {@code security}, {@code account}, {@code totp},
 * {@code recovery}, {@code lockout}, {@code audit}, {@code mail} (the address at sign-up,
 * the reset link), {@code trustedbrowser} and {@code securitykey}.
 */
package dev.totplogin.signin;
