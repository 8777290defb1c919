/**
 * The session store as Spring Session keeps it, JDBC by default (Redis in the
 * {@code redis} profile is configured in {@code security}), made to write and read no
 * more than a request needs: the last-access time at most once a minute, and a session
 * read once per request. Uses no other package of the application.
 */
package dev.totplogin.session;
