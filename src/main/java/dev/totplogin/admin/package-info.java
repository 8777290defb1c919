/**
 * The admin console ({@code /admin}) and the one service behind it and the operator's
 * command line ({@code AccountAdministration}): search accounts, an account's status and
 * history, and the actions (unlock, disable and enable, reset the second factor, send a
 * password-reset link, end sessions), each audited on the account and in the admin log.
 * Only for the role ADMIN (read from the account's row at every request), an aal2
 * session, fresh proof for every action, from the allowed networks. Uses
 * {@code security}, {@code account}, {@code audit}, {@code totp}, {@code recovery},
 * {@code lockout}, {@code signin} (the reset link), {@code securitykey} and
 * {@code trustedbrowser}.
 */
package dev.totplogin.admin;
