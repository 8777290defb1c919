/**
 * A Spring Boot application for sign-up and login with mandatory TOTP two-factor
 * authentication. Each sub-package is one feature; {@code ModularityTests} checks that
 * they form no cycle.
 */
package dev.totplogin;
