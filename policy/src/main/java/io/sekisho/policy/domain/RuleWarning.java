package io.sekisho.policy.domain;

import java.util.Objects;

/**
 * A domain entry that can be removed without changing any verdict, with advice saying which
 * entry to remove and why (Squid's "advice: remove …" overlap warnings, STYLE.md rule 10).
 *
 * @param list {@code "allow"} or {@code "deny"}: the list holding the entry to remove
 * @param index the entry's position in that list, counted from 0 (for the config loader to
 *     find its file:line:col); messages count entries from 1, as a reader of the file does
 * @param message the advice, naming the entry to remove and the entry that makes it redundant
 */
public record RuleWarning(String list, int index, String message) {
    public RuleWarning {
        Objects.requireNonNull(list);
        Objects.requireNonNull(message);
        if (index < 0) {
            throw new IllegalArgumentException("index " + index);
        }
    }
}
