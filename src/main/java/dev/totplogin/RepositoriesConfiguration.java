package dev.totplogin;

import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * The repositories as Spring Boot would set them up, without one piece of start-up work
 * for nothing: see {@link QueriesAsWritten}.
 */
@Configuration(proxyBeanMethods = false)
@EnableJpaRepositories(queryEnhancerSelector = QueriesAsWritten.class)
class RepositoriesConfiguration {

}
