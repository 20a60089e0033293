package io.sekisho.policy.aws.wire;

import io.sekisho.policy.Headers;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.policy.Rejection;
import java.util.Locale;

/**
 * Which trailers a request to an AWS host may carry (issue 18 point 3). A trailer arrives after
 * the request was judged on its headers, so a credential sent as one (Authorization, a session
 * token, an X-Amz-Credential) would act unseen: it is refused. Other trailers pass only where
 * AWS defines them: the flexible checksums {@code x-amz-checksum-*}, and inside an aws-chunked
 * body also the trailer signature. Names compare ignoring case. The same rule serves HTTP/1.1
 * chunked trailers and the trailer lines of an aws-chunked body.
 */
public final class Trailers {
    private Trailers() {
    }

    /**
     * Returns when every one of these HTTP trailers may pass; otherwise rejects, a credential
     * before any other refused trailer.
     */
    public static void check(Headers trailers) throws Rejection {
        Reason worst = null;
        for (int i = 0, n = trailers.size(); i < n; i++) {
            Reason r = refusal(trailers.name(i), false);
            if (r == Reason.BODY_TRAILER_CREDENTIAL) {
                worst = r;
                break;
            }
            worst = worst == null ? r : worst;
        }
        if (worst != null) {
            throw new Rejection(worst, "trailer refused");
        }
    }

    /** Returns when this trailer line of an aws-chunked body may pass; otherwise rejects. */
    static void checkInsideAwsChunked(String name) throws UndecodableBody {
        Reason refused = refusal(name, true);
        if (refused != null) {
            throw new UndecodableBody(refused, "trailer " + name + " refused");
        }
    }

    /**
     * The reason to refuse one trailer name, or null when there is none (a lookup; the callers
     * above reject).
     *
     * @param insideAwsChunked true for a trailer line of an aws-chunked body, where the trailer
     *     signature is defined as well
     */
    private static @Nullable Reason refusal(String name, boolean insideAwsChunked) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (AwsWireFacts.CREDENTIAL_TRAILERS.contains(lower)
                || lower.startsWith(AwsWireFacts.CREDENTIAL_TRAILER_PREFIX)) {
            return Reason.BODY_TRAILER_CREDENTIAL;
        }
        if (lower.startsWith(AwsWireFacts.CHECKSUM_TRAILER_PREFIX)
                && lower.length() > AwsWireFacts.CHECKSUM_TRAILER_PREFIX.length()) {
            return null;
        }
        if (insideAwsChunked && lower.equals(AwsWireFacts.TRAILER_SIGNATURE)) {
            return null;
        }
        return Reason.BODY_TRAILER_NOT_ALLOWED;
    }
}
