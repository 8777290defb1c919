/**
 * The sign-in journey: sign-up, the password form, enrollment, and the second factors as
 * Spring Security authentication mechanisms: the code and the recovery code
 * ({@code PartialAuthenticationFilter} with a provider each, added by
 * {@code SecondFactorConfigurer}), the security key (Spring Security's
 * {@code /login/webauthn}, limited to the pending account), the trusted browser, all
 * completing the sign-in through one success handler ({@code SignInCompletion}); and the
 * forgotten password. Uses {@code security}, {@code account}, {@code totp},
 * {@code recovery}, {@code lockout}, {@code audit}, {@code mail} (the address at sign-up,
 * the reset link), {@code trustedbrowser} and {@code securitykey}.
 */
package dev.totplogin.signin;
