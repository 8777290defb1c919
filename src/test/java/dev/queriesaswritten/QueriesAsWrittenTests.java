package dev.queriesaswritten;

import java.util.List;

import dev.totplogin.QueriesAsWritten;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.QueryCreationException;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Declared queries with {@link QueriesAsWritten}: they run as written, and Hibernate
 * still validates each one at start-up, so a broken query stops the start instead of
 * failing the first request that uses it. In a package of its own, outside
 * {@code dev.totplogin}: the application's entity scan would find this test's entity.
 */
class QueriesAsWrittenTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
				TransactionAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:queries-as-written;DB_CLOSE_DELAY=-1",
				"spring.jpa.hibernate.ddl-auto=create-drop");

	@Test
	void declaredQueriesWhenTheSelectorIsTheRegularExpressionOneThenRunAsWritten() {
		this.runner.withUserConfiguration(ValidQueries.class).run((context) -> {
			Notes notes = context.getBean(Notes.class);
			notes.save(new Note(1L, "first"));
			notes.save(new Note(2L, "second"));

			assertThat(notes.renameIfStill(2L, "second", "changed")).isEqualTo(1);
			assertThat(notes.renameIfStill(2L, "second", "again")).isZero();
			assertThat(notes.textsAfter(1L)).containsExactly("changed");
			assertThat(notes.newest()).extracting(Note::getText).isEqualTo("changed");
		});
	}

	@Test
	void startWhenADeclaredQueryNamesAnUnknownEntityThenFailsWithTheQuery() {
		this.runner.withUserConfiguration(BrokenQuery.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining(QueryCreationException.class.getName())
				.hasStackTraceContaining("Query validation failed for 'select n from Nte n'")
				.rootCause()
				.hasMessageContaining("Could not resolve root entity 'Nte'");
		});
	}

	@Entity(name = "Note")
	static class Note {

		@Id
		private Long id;

		private String text;

		protected Note() {
		}

		Note(Long id, String text) {
			this.id = id;
			this.text = text;
		}

		String getText() {
			return this.text;
		}

	}

	interface Notes extends Repository<Note, Long> {

		Note save(Note note);

		@Query("select n.text from Note n where n.id > :id order by n.id")
		List<String> textsAfter(Long id);

		@Query("select n from Note n order by n.id desc limit 1")
		Note newest();

		@Modifying
		@Transactional
		@Query("update Note n set n.text = :replacement where n.id = :id and n.text = :current")
		int renameIfStill(Long id, String current, String replacement);

	}

	interface BrokenNotes extends Repository<Note, Long> {

		@Query("select n from Nte n")
		List<Note> all();

	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	@EnableJpaRepositories(considerNestedRepositories = true, queryEnhancerSelector = QueriesAsWritten.class,
			includeFilters = @Filter(type = FilterType.ASSIGNABLE_TYPE, classes = Notes.class))
	static class ValidQueries {

	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	@EnableJpaRepositories(considerNestedRepositories = true, queryEnhancerSelector = QueriesAsWritten.class,
			includeFilters = @Filter(type = FilterType.ASSIGNABLE_TYPE, classes = BrokenNotes.class))
	static class BrokenQuery {

	}

}
