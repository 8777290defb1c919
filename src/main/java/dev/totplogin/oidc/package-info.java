/**
 * The OpenID Connect provider that puts other applications behind this sign-in: Spring
 * Security's authorization server in a filter chain of its own, with the clients from
 * configuration, authorizations and signing keys in the database, the claims
 * ({@code amr}, {@code acr}) from the session's factors, {@code max_age},
 * {@code prompt=login} and {@code acr_values} honoured, and the sessions of the
 * applications ended with the session here (back-channel logout). Uses {@code security},
 * {@code account}, {@code audit}, {@code crypto} and {@code mail} (the site's address,
 * the issuer).
 */
package dev.totplogin.oidc;
