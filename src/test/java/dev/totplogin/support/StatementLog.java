package dev.totplogin.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Every SQL statement the server's request threads execute, as the database counts them
 * ({@code pg_stat_statements} counts each execution, a batch's rows one by one): the
 * statements of one request, listed, instead of a time, which a busy machine can change.
 * Only request threads ({@code http-nio-*}): the scheduler's polls are not a request's.
 */
public final class StatementLog {

	private static final List<String> executed = new ArrayList<>();

	private StatementLog() {
	}

	/** The statements executed since the last call, and forgets them. */
	public static synchronized List<String> take() {
		List<String> taken = List.copyOf(executed);
		executed.clear();
		return taken;
	}

	private static synchronized void executed(String sql, int times) {
		if (Thread.currentThread().getName().startsWith("http-nio-")) {
			for (int i = 0; i < times; i++) {
				executed.add(sql.strip().replaceAll("\\s+", " "));
			}
		}
	}

	private static Connection logging(Connection connection) {
		return (Connection) Proxy.newProxyInstance(StatementLog.class.getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, args) -> {
					Object result = invoke(connection, method, args);
					if (result instanceof PreparedStatement prepared && method.getName().startsWith("prepare")) {
						return statement(prepared, PreparedStatement.class, (String) args[0]);
					}
					if (result instanceof Statement statement && !(result instanceof PreparedStatement)) {
						return statement(statement, Statement.class, null);
					}
					return result;
				});
	}

	private static Object statement(Statement statement, Class<?> type, String preparedSql) {
		List<String> batch = new ArrayList<>();
		int[] batched = new int[1];
		return Proxy.newProxyInstance(StatementLog.class.getClassLoader(), new Class<?>[] { type },
				(proxy, method, args) -> {
					String name = method.getName();
					if (name.equals("addBatch")) {
						if (args != null && args.length == 1) {
							batch.add((String) args[0]);
						}
						else {
							batched[0]++;
						}
					}
					else if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
						for (String sql : batch) {
							executed(sql, 1);
						}
						if (preparedSql != null) {
							executed(preparedSql, batched[0]);
						}
						batch.clear();
						batched[0] = 0;
					}
					else if (name.toLowerCase(Locale.ROOT).startsWith("execute")) {
						executed((args != null && args.length > 0 && args[0] instanceof String sql) ? sql : preparedSql,
								1);
					}
					return invoke(statement, method, args);
				});
	}

	private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	/** Wraps the application's data source. */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Configuration {

		@Bean
		static BeanPostProcessor statementLog() {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (!(bean instanceof DataSource dataSource) || bean instanceof DelegatingDataSource) {
						return bean;
					}
					return new DelegatingDataSource(dataSource) {
						@Override
						public Connection getConnection() throws SQLException {
							return logging(super.getConnection());
						}

						@Override
						public Connection getConnection(String username, String password) throws SQLException {
							return logging(super.getConnection(username, password));
						}
					};
				}
			};
		}

	}

}
