package io.sekisho.policy;

/**
 * How much of a request (or response) body the policy must see before it can decide.
 *
 * <ul>
 *   <li>{@link Kind#NONE}: decide on headers, stream the body at once.</li>
 *   <li>{@link Kind#WHOLE}: the decision needs the whole body; the proxy buffers up to
 *       {@code limit} bytes. A longer body is handed over truncated with
 *       {@code bodyComplete=false}, and the policy denies it (BODY_TOO_LARGE_TO_INSPECT).</li>
 *   <li>{@link Kind#PREFIX}: the first {@code limit} bytes are enough (an S3 POST form up to
 *       its file part); the rest streams after an allow.</li>
 * </ul>
 */
public record BodyNeed(Kind kind, int limit) {
    public enum Kind { NONE, WHOLE, PREFIX }

    public static final BodyNeed NONE = new BodyNeed(Kind.NONE, 0);

    public BodyNeed {
        if (limit < 0 || (kind == Kind.NONE && limit != 0)) {
            throw new IllegalArgumentException("bad limit " + limit + " for " + kind);
        }
    }

    public static BodyNeed whole(int limit) {
        return new BodyNeed(Kind.WHOLE, limit);
    }

    public static BodyNeed prefix(int limit) {
        return new BodyNeed(Kind.PREFIX, limit);
    }
}
