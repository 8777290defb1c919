package dev.totplogin.audit;

import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.repository.Repository;

interface SecurityEventRepository extends Repository<SecurityEvent, Long> {

	SecurityEvent save(SecurityEvent event);

	List<SecurityEvent> findByAccountIdOrderByOccurredAtDescIdDesc(Long accountId, Limit limit);

}
