package dev.totplogin.support;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A server program from a Debian package that an integration test starts itself (nginx,
 * Caddy, Apache httpd with mod_auth_openidc). Missing, the test is skipped locally with
 * the command that installs it, and fails under {@code CI=true}, where {@code .ci/run}
 * installs it.
 */
public final class DebianBinary {

	private DebianBinary() {
	}

	/**
	 * The program's path, once every file it needs is present.
	 * @param packages the Debian packages that provide the files, for the hint
	 * @param files the program first, then any module it loads
	 */
	public static Path require(String packages, Path... files) {
		for (Path file : files) {
			if (!Files.exists(file)) {
				String hint = file + " not found; install it with: sudo apt-get install --no-install-recommends "
						+ packages;
				if ("true".equalsIgnoreCase(System.getenv("CI"))) {
					Assertions.fail("Under CI this test needs " + hint);
				}
				Assumptions.abort("Skipped: " + hint);
			}
		}
		return files[0];
	}

}
