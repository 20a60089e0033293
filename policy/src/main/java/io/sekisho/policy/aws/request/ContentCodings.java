package io.sekisho.policy.aws.request;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.policy.Rejection;
import io.sekisho.policy.aws.wire.AwsChunkedBody;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Inflation;
import io.sekisho.policy.aws.wire.Text;
import io.sekisho.policy.aws.wire.UndecodableBody;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;

/**
 * The content codings of a body the inspection reads (issue 18 point 3), from every
 * Content-Encoding line (RFC 9110 §8.4: a list, in the order the codings were applied; names
 * ignore case, empty elements are skipped). They are undone in reverse order before the body is
 * read: {@code aws-chunked} ({@link AwsChunkedBody}), {@code gzip} / {@code x-gzip} and
 * {@code deflate} ({@link Inflation}); {@code identity} is no coding. Anything else, more than
 * {@link #MAX_CODINGS} codings, any coding on an S3 POST form (read as a prefix, never whole),
 * or an X-Amz-Content-SHA256 of {@code STREAMING-…} without {@code aws-chunked} (the service may
 * unframe a body Sekisho would read framed) cannot be read: {@link #check} rejects it.
 *
 * <p>Built only for bodies the plan reads: a request without Content-Encoding costs nothing.
 */
public final class ContentCodings {
    /** "aws-chunked, gzip" is two; a longer list has no client behind it. */
    public static final int MAX_CODINGS = 3;

    enum Coding { AWS_CHUNKED, GZIP, DEFLATE }

    public static final ContentCodings NONE = new ContentCodings(new Coding[0], null);

    private final Coding[] codings;
    /** Why no body with these headers can be read, whatever its bytes; null when it can. */
    private final @Nullable Reason problem;

    private ContentCodings(Coding[] codings, @Nullable Reason problem) {
        this.codings = codings;
        this.problem = problem;
    }

    /** Whether a body with these headers can be read at all. */
    public boolean readable() {
        return problem == null;
    }

    /** Returns when a body with these headers can be read; otherwise rejects with the reason. */
    public void check() throws Rejection {
        if (problem != null) {
            throw new Rejection(problem, "content codings cannot be read");
        }
    }

    public static ContentCodings of(AwsHeaders h, BodyPlan plan) {
        String ce = h.contentEncoding;
        String sha = h.contentSha256;
        boolean streaming = sha != null
                && Text.startsWithIgnoreCase(sha, 0, sha.length(), AwsWireFacts.STREAMING_PAYLOAD_PREFIX);
        if (plan == BodyPlan.NONE || (ce == null && !streaming)) {
            return NONE;
        }
        Coding[] list = new Coding[MAX_CODINGS];
        int n = 0;
        for (String element : (ce == null ? "" : ce).split(",", -1)) {
            String name = element.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.equals("identity")) {
                continue;
            }
            Coding c = coding(name);
            if (c == null || n == MAX_CODINGS) {
                return unsupported();
            }
            list[n++] = c;
        }
        boolean chunked = Arrays.asList(list).contains(Coding.AWS_CHUNKED);
        if ((streaming && !chunked) || (plan == BodyPlan.POST_FORM && n > 0)) {
            return unsupported();
        }
        return n == 0 ? NONE : new ContentCodings(Arrays.copyOf(list, n), null);
    }

    private static @Nullable Coding coding(String name) {
        switch (name) {
            case AwsWireFacts.AWS_CHUNKED:
                return Coding.AWS_CHUNKED;
            case "gzip":
            case "x-gzip": // RFC 9110 §8.4.1.3
                return Coding.GZIP;
            case "deflate":
                return Coding.DEFLATE;
            default:
                return null;
        }
    }

    private static ContentCodings unsupported() {
        return new ContentCodings(new Coding[0], Reason.BODY_ENCODING_UNSUPPORTED);
    }

    public boolean isEmpty() {
        return codings.length == 0;
    }

    /**
     * The body with every coding undone, last applied first; each decoded layer counts against
     * {@code limit} like a plain body.
     *
     * @param declaredLength x-amz-decoded-content-length, or null
     */
    public ByteBuffer undo(ByteBuffer body, int limit, @Nullable String declaredLength) throws UndecodableBody {
        ByteBuffer b = body;
        for (int i = codings.length - 1; i >= 0; i--) {
            switch (codings[i]) {
                case AWS_CHUNKED:
                    b = AwsChunkedBody.decode(b, declaredLength);
                    break;
                case GZIP:
                    b = Inflation.gunzip(b, limit);
                    break;
                default:
                    b = Inflation.inflate(b, limit);
            }
        }
        return b;
    }
}
