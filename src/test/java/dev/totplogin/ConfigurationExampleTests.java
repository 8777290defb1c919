package dev.totplogin;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code application.yml.example} lists every property of every
 * {@code @ConfigurationProperties} record, with the record's own default: the defaults
 * are written once, in the records, and the example cannot drift from them.
 */
class ConfigurationExampleTests {

	@Test
	void exampleWhenComparedWithEveryRecordThenHasEachPropertyWithItsDefault() throws IOException {
		List<PropertySource<?>> example = new YamlPropertySourceLoader().load("example",
				new FileSystemResource("application.yml.example"));
		// An empty map or list ({} or []) reads as an empty text, which a map cannot be
		// bound from; left out, it binds to its (empty) default all the same.
		Map<String, Object> written = new java.util.LinkedHashMap<>();
		for (String name : ((org.springframework.core.env.EnumerablePropertySource<?>) example.get(0))
			.getPropertyNames()) {
			Object value = example.get(0).getProperty(name);
			if (!"".equals(String.valueOf(value))) {
				written.put(name, value);
			}
		}
		Binder fromExample = new Binder(ConfigurationPropertySources.from(new MapPropertySource("example", written)));
		Binder empty = new Binder(ConfigurationPropertySources.from(new MapPropertySource("empty", Map.of())));
		List<Class<?>> records = propertiesRecords();
		assertThat(records).hasSizeGreaterThanOrEqualTo(6);
		for (Class<?> record : records) {
			String prefix = record.getAnnotation(ConfigurationProperties.class).value();
			for (RecordComponent component : record.getRecordComponents()) {
				String name = prefix + "." + kebab(component.getName());
				assertThat(example.get(0).containsProperty(name) || hasChildren(example.get(0), name))
					.as("%s (%s) in application.yml.example", name, record.getSimpleName())
					.isTrue();
			}
			Object defaults = empty.bindOrCreate(prefix, Bindable.of(record));
			Object documented = fromExample.bindOrCreate(prefix, Bindable.of(record));
			assertThat(documented)
				.as("the defaults of %s as application.yml.example gives them", record.getSimpleName())
				.usingRecursiveComparison()
				.withEqualsForType((a, b) -> blankAsNull(a) == null ? blankAsNull(b) == null : a.equals(b),
						String.class)
				.isEqualTo(defaults);
		}
	}

	private static List<Class<?>> propertiesRecords() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
		List<Class<?>> records = new ArrayList<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents("dev.totplogin")) {
			records.add(ClassUtils.resolveClassName(candidate.getBeanClassName(), null));
		}
		return records;
	}

	/**
	 * A list or a nested object is written as children ({@code previous-keys: []} has
	 * none but counts).
	 */
	private static boolean hasChildren(PropertySource<?> source, String name) {
		if (source instanceof org.springframework.core.env.EnumerablePropertySource<?> enumerable) {
			for (String property : enumerable.getPropertyNames()) {
				if (property.startsWith(name + ".") || property.startsWith(name + "[")) {
					return true;
				}
			}
		}
		return false;
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
	}

	private static String blankAsNull(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

}
