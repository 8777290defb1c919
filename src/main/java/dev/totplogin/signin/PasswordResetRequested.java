package dev.totplogin.signin;

/**
 * Someone asked for a password reset link (the form was sent and valid), whether or not
 * an account has that address: nothing in it names one. For the metrics: no audit line
 * exists for it, as there is often no account to record it against.
 */
public record PasswordResetRequested() {

}
