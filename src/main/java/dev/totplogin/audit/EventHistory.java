package dev.totplogin.audit;

import java.util.List;

/**
 * A page of an account's history, newest first.
 *
 * @param groups the lines of this page
 * @param olderBefore where the next (older) page starts, or null on the last page
 */
public record EventHistory(List<EventGroup> groups, Long olderBefore) {
}
