package dev.totplogin.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Counts the SQL statements the current thread prepares, through the application's data
 * source: "this request does the same work as that one" as a count, which no slow or busy
 * machine can change, instead of a ratio of times, which it can.
 */
public final class CountingStatements {

	private static final ThreadLocal<int[]> counted = ThreadLocal.withInitial(() -> new int[1]);

	private CountingStatements() {
	}

	/** Statements this thread has prepared so far. */
	public static int onThisThread() {
		return counted.get()[0];
	}

	private static Connection counting(Connection connection) {
		return (Connection) Proxy.newProxyInstance(CountingStatements.class.getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, args) -> {
					if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
						counted.get()[0]++;
					}
					try {
						return method.invoke(connection, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

	/** Wraps the application's data source. */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Configuration {

		@Bean
		static BeanPostProcessor countingStatements() {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (!(bean instanceof DataSource dataSource) || bean instanceof DelegatingDataSource) {
						return bean;
					}
					return new DelegatingDataSource(dataSource) {
						@Override
						public Connection getConnection() throws SQLException {
							return counting(super.getConnection());
						}

						@Override
						public Connection getConnection(String username, String password) throws SQLException {
							return counting(super.getConnection(username, password));
						}
					};
				}
			};
		}

	}

}
