package dev.totplogin.security;

import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The stored sessions in the database (Spring Session JDBC, the default): one delete by
 * the indexed principal name, in the caller's transaction, so an account's deletion and
 * its sessions' go together. Also without Spring Session (container sessions, as under
 * MockMvc), where the table is simply empty.
 */
@Component
@Profile("!" + RedisSessionConfiguration.PROFILE)
class JdbcStoredSessions implements StoredSessions {

	private final JdbcTemplate jdbc;

	JdbcStoredSessions(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void forgetAll(String username) {
		this.jdbc.update("delete from spring_session where principal_name = ?", username);
	}

}
