package dev.totplogin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The package layout as Spring Modulith sees it: each top-level package under
 * {@code dev.totplogin} is a module; no cycle between them and no reach into another
 * module's internals. Also writes the module diagrams (PlantUML, into
 * {@code target/spring-modulith-docs}, copied to {@code docs/architecture/}) and checks
 * that the README and every {@code package-info.java} tell the dependencies as they are.
 */
class ModularityTests {

	private static final ApplicationModules modules = ApplicationModules.of(TotpLoginApplication.class);

	/** A sentence starting "Uses", up to its period. */
	private static final Pattern USES = Pattern.compile("(?:^|(?<=\\.\\s))Uses\\b([^.]*)\\.(?=\\s|$)");

	private static final Pattern CODE = Pattern.compile("\\{@code ([^}]*)}");

	private static final Pattern PARENTHESES = Pattern.compile("\\([^()]*\\)");

	@Test
	void modulesWhenVerifiedThenNoCycleAndNoReachIntoInternals() {
		modules.verify();
	}

	@Test
	void everyPackageWhenListedThenHasAPackageInfo() throws IOException {
		Path sources = Path.of("src/main/java/dev/totplogin");
		try (var packages = Files.walk(sources)) {
			assertThat(packages.filter(Files::isDirectory))
				.allSatisfy((directory) -> assertThat(directory.resolve("package-info.java")).exists());
		}
	}

	/**
	 * Every {@code package-info.java} says which other modules its package uses, and says
	 * it right. The convention: one sentence that starts with "Uses" and names each
	 * module the package uses as <code>{&#64;code name}</code> (the package's simple
	 * name), with a reason in parentheses after a name if it helps; a
	 * <code>{&#64;code ...}</code> in parentheses is a remark, not a claim, and the
	 * sentence has no other period than its last. A package that uses none says "Uses no
	 * other package of the application." The claims must be exactly the module's direct
	 * dependencies as Spring Modulith finds them (types used, beans injected, events
	 * listened to).
	 */
	@Test
	void packageInfoWhenReadThenUsesExactlyTheModulesItDependsOn() throws IOException {
		List<String> wrong = new ArrayList<>();
		for (ApplicationModule module : modules) {
			String name = module.getBasePackage().getLocalName();
			Path packageInfo = Path.of("src/main/java", module.getBasePackage().getName().replace('.', '/'),
					"package-info.java");
			Set<String> claimed = uses(Files.readString(packageInfo, StandardCharsets.UTF_8));
			Set<String> used = module.getDirectDependencies(modules)
				.uniqueModules()
				.map((dependency) -> dependency.getBasePackage().getLocalName())
				.collect(Collectors.toCollection(TreeSet::new));
			if (!claimed.equals(used)) {
				wrong.add("%s says it uses %s, uses %s".formatted(name, claimed, used));
			}
		}
		assertThat(wrong).as("package-info.java files whose \"Uses\" sentence is wrong").isEmpty();
	}

	@Test
	void usesWhenReadThenTheNamesOutsideParenthesesOfTheOneUsesSentence() {
		assertThat(uses("""
				/**
				 * Something. Uses {@code account} (its {@code Account}, e.g. for a name),
				 * {@code audit} and {@code crypto}; never the pages ({@code signin}). Not
				 * {@code web}.
				 */
				package dev.totplogin.example;
				""")).containsExactly("account", "audit", "crypto");
		assertThat(uses("/** Something. Uses no other package of the application. */")).isEmpty();
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> uses("/** Something. */"));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> uses("/** Uses the account. */"));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> uses("/** Uses {@code account}. Uses {@code audit}. */"));
	}

	/**
	 * The modules a {@code package-info.java} says its package uses (see
	 * {@link #packageInfoWhenReadThenUsesExactlyTheModulesItDependsOn}).
	 */
	private static Set<String> uses(String packageInfo) {
		String javadoc = packageInfo.substring(packageInfo.indexOf("/**") + 3, packageInfo.indexOf("*/"))
			.lines()
			.map((line) -> line.strip().replaceFirst("^\\*\\s?", ""))
			.collect(Collectors.joining(" "))
			.strip();
		Matcher sentence = USES.matcher(PARENTHESES.matcher(javadoc).replaceAll(""));
		assertThat(sentence.find()).as("a sentence starting \"Uses\" in %s", javadoc).isTrue();
		String claim = sentence.group(1);
		assertThat(sentence.find()).as("a second sentence starting \"Uses\" in %s", javadoc).isFalse();
		Set<String> names = CODE.matcher(claim)
			.results()
			.map((code) -> code.group(1))
			.collect(Collectors.toCollection(TreeSet::new));
		if (names.isEmpty()) {
			assertThat(claim).as("a \"Uses\" sentence without a {@code name}")
				.isEqualTo(" no other package of the application");
		}
		return names;
	}

	@Test
	void readmeWhenReadThenShowsTheModuleDependenciesAsTheyAre() throws IOException {
		new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
		String diagram = mermaid();
		Files.writeString(Path.of("target/spring-modulith-docs/modules.mmd"), diagram, StandardCharsets.UTF_8);
		assertThat(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8))
			.as("README's module diagram (the expected text is in target/spring-modulith-docs/modules.mmd)")
			.contains(diagram);
	}

	/**
	 * Every module and the modules it uses directly, sorted: a Mermaid graph GitHub draws
	 * in the README.
	 */
	private static String mermaid() {
		return modules.stream()
			.sorted(Comparator.comparing(ApplicationModule::getDisplayName))
			.map((module) -> "  " + module.getDisplayName() + " --> "
					+ module.getDirectDependencies(modules)
						.uniqueModules()
						.map(ApplicationModule::getDisplayName)
						.sorted()
						.collect(Collectors.joining(" & ")))
			.map((line) -> line.endsWith("--> ") ? line.substring(0, line.length() - 5) : line)
			.collect(Collectors.joining("\n", "```mermaid\ngraph LR\n", "\n```\n"));
	}

}
