package io.sekisho.policy;

import java.util.List;

/**
 * What a read is, for hosts where the proxy can tell nothing else about a request (issue 15
 * points 6 and 7): a customer endpoint that only a broad domain rule admits, and an AWS-owned
 * name the host catalog does not know, reached without a credential. A read is GET, HEAD or
 * OPTIONS (methods compare exactly: HTTP methods are case-sensitive), with no body (no
 * Transfer-Encoding; every Content-Length is 0) and a query of at most {@link #QUERY_BYTES}
 * bytes as sent. Anything else carries data out to an owner the proxy cannot name.
 */
public final class ReadOnly {
    /**
     * The longest query a read may carry (bytes as sent). A page asset's query (cache busters,
     * a signed CloudFront URL of some 600 bytes) fits; a pasted document does not. A decision,
     * not a wire fact: docs/threat-model.md says why.
     */
    public static final int QUERY_BYTES = 2048;

    private static final List<String> READ_METHODS = List.of("GET", "HEAD", "OPTIONS");

    private ReadOnly() {
    }

    /** True when {@code facts} is a read as defined above. */
    public static boolean isRead(RequestFacts facts) {
        if (!READ_METHODS.contains(facts.method()) || facts.query().length() > QUERY_BYTES) {
            return false;
        }
        Headers h = facts.headers();
        if (!h.getAll("Transfer-Encoding").isEmpty()) {
            return false;
        }
        for (String length : h.getAll("Content-Length")) {
            if (!length.strip().equals("0")) {
                return false;
            }
        }
        return facts.body() == null || !facts.body().hasRemaining();
    }
}
