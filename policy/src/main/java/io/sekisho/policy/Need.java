package io.sekisho.policy;

import java.util.Objects;

/**
 * What the policy needs before it can decide. The proxy gathers it, adds it to the
 * {@link Exchange} and asks again; the policy never asks twice for what the exchange holds.
 */
public sealed interface Need extends Answer {

    /** Where the destination resolves (routing and DNS), for the check by address. */
    Need ADDRESSES = new Addresses();

    /** Resolve and route the destination ({@link Exchange#withRoute}). */
    record Addresses() implements Need {
    }

    /**
     * The request body, whole or its first bytes ({@link Exchange#withRequestBody}). A client
     * that waits for {@code 100 Continue} is invited to send it: a deny on the headers alone was
     * answered instead of this need.
     */
    record RequestBody(BodyNeed body) implements Need {
        public RequestBody {
            Objects.requireNonNull(body);
            if (body.kind() == BodyNeed.Kind.NONE) {
                throw new IllegalArgumentException("a request body need of kind NONE");
            }
        }
    }

    /**
     * The account of an access key the policy cannot decode offline, from
     * {@code sts:GetAccessKeyInfo} off the event loop ({@link Exchange#withKeyLookedUp}); the
     * answer reaches the policy through its key cache, success or failure.
     */
    record KeyLookup(String accessKeyId) implements Need {
        public KeyLookup {
            Objects.requireNonNull(accessKeyId);
        }
    }

    /** Asks for the provenance fetch ({@link Need#PROVENANCE}). */
    Need PROVENANCE = new Provenance();

    /**
     * The provenance of the sign-in token this request presents, from the store shared by a
     * group of instances ({@code cluster.store}), fetched off the event loop
     * ({@link Exchange#withProvenanceFetched}). The proxy knows which token: the policy named its
     * hash to the store when it found no answer held for this exchange. Success or failure, the
     * answer reaches the policy through its token store, which asking again reads.
     */
    record Provenance() implements Need {
    }

    /** The first {@code limit} bytes of the response body ({@link Exchange#withResponse}). */
    record ResponseBody(int limit) implements Need {
        public ResponseBody {
            if (limit <= 0) {
                throw new IllegalArgumentException("limit " + limit);
            }
        }
    }
}
