package dev.totplogin.audit;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

interface SecurityEventRepository extends Repository<SecurityEvent, Long> {

	SecurityEvent save(SecurityEvent event);

	List<SecurityEvent> findByAccountIdAndIdLessThanOrderByIdDesc(Long accountId, Long before, Limit limit);

	List<SecurityEvent> findByAccountIdOrderByIdAsc(Long accountId);

	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("delete from SecurityEvent e where e.accountId = :accountId")
	int deleteByAccountId(Long accountId);

	Optional<SecurityEvent> findFirstByAccountIdAndTypeInOrderByIdDesc(Long accountId,
			Collection<SecurityEventType> types);

	Optional<SecurityEvent> findFirstByAccountIdAndTypeInAndOccurredAtBeforeOrderByIdDesc(Long accountId,
			Collection<SecurityEventType> types, Instant before);

}
