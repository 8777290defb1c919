/**
 * What every page shares: the home page, the page-wide model (who is signed in), static
 * resources, the error page, and the "temporarily unavailable" answer when the database
 * cannot be reached. Uses {@code security}, {@code account} and {@code recovery}.
 */
package dev.totplogin.web;
