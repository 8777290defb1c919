package dev.totplogin.web;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures count as "the database cannot be reached" (503), and which stay errors.
 */
class DatabaseUnavailableFilterTests {

	@Test
	void unreachableDatabaseWhenNoConnectionOrADroppedOneThenTrue() {
		assertThat(DatabaseUnavailableFilter.unreachableDatabase(new CannotCreateTransactionException("no tx",
				new SQLTransientConnectionException("HikariPool-1 - Connection is not available"))))
			.isTrue();
		// PostgreSQL stopping: "terminating connection due to administrator command",
		// wrapped by Hibernate.
		assertThat(DatabaseUnavailableFilter.unreachableDatabase(
				new JpaSystemException(new RuntimeException(new SQLException("FATAL: terminating", "57P01")))))
			.isTrue();
		assertThat(DatabaseUnavailableFilter
			.unreachableDatabase(new IllegalStateException(new SQLException("connection closed", "08003")))).isTrue();
	}

	@Test
	void unreachableDatabaseWhenHikariClosedTheConnectionThenTrueAndTheSameMessageElsewhereFalse() {
		SQLException closedByHikari = new SQLException("Connection is closed");
		closedByHikari.setStackTrace(new StackTraceElement[] { new StackTraceElement(
				"com.zaxxer.hikari.pool.ProxyConnection$ClosedConnection", "invoke", "ProxyConnection.java", 559) });
		assertThat(DatabaseUnavailableFilter
			.unreachableDatabase(new JpaSystemException(new RuntimeException("Unable to rollback", closedByHikari))))
			.isTrue();
		assertThat(DatabaseUnavailableFilter.unreachableDatabase(new SQLException("Connection is closed"))).isFalse();
	}

	@Test
	void unreachableDatabaseWhenAnyOtherFailureThenFalse() {
		assertThat(DatabaseUnavailableFilter.unreachableDatabase(new DataIntegrityViolationException("duplicate",
				new SQLIntegrityConstraintViolationException("unique", "23505"))))
			.isFalse();
		assertThat(DatabaseUnavailableFilter.unreachableDatabase(new SQLException("syntax", "42601"))).isFalse();
		assertThat(DatabaseUnavailableFilter.unreachableDatabase(new IllegalStateException("a bug"))).isFalse();
		assertThat(DatabaseUnavailableFilter.unreachableDatabase(new SQLException("no state"))).isFalse();
	}

}
