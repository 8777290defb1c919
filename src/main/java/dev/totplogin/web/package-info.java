/**
 * What every page shares: the home page, the page-wide model (who is signed in), static
 * resources. Uses {@code security}, {@code account} and {@code recovery}.
 */
package dev.totplogin.web;
