package dev.totplogin;

import org.springframework.data.jpa.repository.query.DeclaredQuery;
import org.springframework.data.jpa.repository.query.QueryEnhancerFactories;
import org.springframework.data.jpa.repository.query.QueryEnhancerFactory;
import org.springframework.data.jpa.repository.query.QueryEnhancerSelector;

/**
 * Spring Data's regular-expression query enhancer for every declared query. By default
 * Spring Data parses each {@code @Query} with its own HQL grammar (ANTLR) at start-up so
 * that it can derive count queries and add sorting, which no repository here does, and
 * Hibernate then parses it again to validate it. The regular-expression enhancer is
 * enough for queries without paging, sorting or DTO projections; Hibernate's validation
 * stays, so a broken query still stops the start. About 1 s of a plain {@code java -jar}
 * start on 2 cores (docs/performance.md, Start-up). Public only because the repositories
 * Spring AOT generates create it from their own packages.
 */
public final class QueriesAsWritten implements QueryEnhancerSelector {

	@Override
	public QueryEnhancerFactory select(DeclaredQuery query) {
		return QueryEnhancerFactories.fallback();
	}

}
