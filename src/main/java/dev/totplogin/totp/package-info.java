/**
 * The authenticator app's codes (RFC 6238): secrets, the {@code otpauth://} URI and its
 * QR code, enrollment, verification with replay protection, replacement, key rotation. No
 * controllers. Uses {@code account}, {@code crypto}, {@code lockout} and {@code audit}.
 */
package dev.totplogin.totp;
