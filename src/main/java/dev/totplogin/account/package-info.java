/**
 * Accounts: the entity and its repository, registration, the password policy and the
 * validator every new-password form binds. Uses no other package of the application; the
 * others build on it.
 */
package dev.totplogin.account;
