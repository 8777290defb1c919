package dev.totplogin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package layout as Spring Modulith sees it: each top-level package under
 * {@code dev.totplogin} is a module; no cycle between them and no reach into another
 * module's internals. Also writes the module diagrams (PlantUML, into
 * {@code target/spring-modulith-docs}, copied to {@code docs/architecture/}) and checks
 * that the README shows the dependencies as they are.
 */
class ModularityTests {

	private static final ApplicationModules modules = ApplicationModules.of(TotpLoginApplication.class);

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
