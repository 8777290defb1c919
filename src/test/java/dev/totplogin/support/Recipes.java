package dev.totplogin.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The integration recipes under {@code docs/integration}, read by the tests that run
 * them, so the documentation cannot drift from what is tested.
 */
public final class Recipes {

	public static final Path DIRECTORY = Path.of("docs", "integration");

	private static final Pattern CLIENT_PROPERTY = Pattern.compile("^#\\s+(app\\.oidc\\.clients\\.[\\w.-]+):\\s*(.+)$",
			Pattern.MULTILINE);

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}");

	private Recipes() {
	}

	public static Path path(String name) {
		return DIRECTORY.resolve(name);
	}

	/**
	 * The client registration a recipe documents for TOTP Login (its comment lines
	 * {@code #   app.oidc.clients.<id>.<property>: value}), with its {@code ${...}}
	 * variables filled in: the properties the provider under test gets.
	 */
	public static Map<String, String> clientProperties(String name, Map<String, String> variables) {
		try {
			Matcher lines = CLIENT_PROPERTY.matcher(Files.readString(path(name)));
			Map<String, String> properties = new LinkedHashMap<>();
			while (lines.find()) {
				properties.put(lines.group(1), fill(lines.group(2).strip(), variables));
			}
			if (properties.isEmpty()) {
				throw new IllegalStateException(name + " documents no app.oidc.clients.* registration");
			}
			return properties;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String fill(String value, Map<String, String> variables) {
		return VARIABLE.matcher(value).replaceAll((match) -> {
			String variable = variables.get(match.group(1));
			if (variable == null) {
				throw new IllegalStateException("no value for ${" + match.group(1) + "} in " + value);
			}
			return Matcher.quoteReplacement(variable);
		});
	}

}
