package io.sekisho.proxy.squid;

import io.sekisho.policy.domain.DomainPattern;

/**
 * One converted value with where it came from.
 *
 * @param value the Sekisho value (a domain pattern, a CIDR, a host:port)
 * @param where {@code file:line} of the value (a line of an ACL file, or of squid.conf)
 * @param acl the ACL it came from ("" when none)
 */
record Entry(String value, String where, String acl) {
    DomainPattern pattern() {
        return DomainPattern.parse(value);
    }
}
