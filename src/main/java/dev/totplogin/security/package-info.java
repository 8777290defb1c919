/**
 * The one filter chain in Spring Security 7's multi-factor model: the factor authorities
 * and the declared rules over them ({@code Factors}, {@code SecurityConfiguration}), the
 * entry point per missing factor, the password step, the sign-in states
 * ({@code SignInState}), session validity and the account's signed-in sessions, and where
 * the sessions themselves are kept (the database, or Redis with the profile
 * {@code redis}: {@code RedisSessionConfiguration}). Uses {@code account},
 * {@code lockout}, {@code hashing}, {@code audit} and {@code crypto}; never the journey
 * that adds the second factors ({@code signin} plugs them in as a configurer).
 */
package dev.totplogin.security;
