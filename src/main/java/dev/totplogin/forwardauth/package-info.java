/**
 * Forward auth: the one endpoint a reverse proxy (nginx {@code auth_request}, Caddy
 * {@code forward_auth}, Traefik {@code forwardAuth}) asks on every request of the
 * application it protects ({@code VerifyController}), the protected domains a return URL
 * must belong to ({@code ProtectedDomains}), the per-route rules, the way back after the
 * sign-in ({@code ReturnAfterSignIn}) and the signed-in session's check kept for a few
 * seconds ({@code SessionChecks}). Uses {@code security} (the session's factors and their
 * assurance), {@code account} (the verified email) and {@code mail} (the base URL of the
 * sign-in pages).
 */
package dev.totplogin.forwardauth;
