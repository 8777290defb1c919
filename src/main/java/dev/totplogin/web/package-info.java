/**
 * What every page shares: the home page, the page-wide model (who is signed in), static
 * resources, the error page, and the "temporarily unavailable" answer when the database
 * cannot be reached. Uses {@code security}, {@code account}, {@code recovery},
 * {@code mail} (whether it is on) and {@code trustedbrowser} (how long a browser stays
 * trusted).
 */
package dev.totplogin.web;
