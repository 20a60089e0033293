package io.sekisho.policy.aws.wire;

import io.sekisho.policy.Headers;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
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

    /** The reason to refuse these HTTP trailers, or null when every one of them may pass. */
    public static @Nullable Reason judge(Headers trailers) {
        Reason worst = null;
        for (int i = 0, n = trailers.size(); i < n; i++) {
            Reason r = judge(trailers.name(i), false);
            if (r == Reason.BODY_TRAILER_CREDENTIAL) {
                return r;
            }
            worst = worst == null ? r : worst;
        }
        return worst;
    }

    /**
     * The reason to refuse one trailer name, or null to let it pass.
     *
     * @param insideAwsChunked true for a trailer line of an aws-chunked body, where the trailer
     *     signature is defined as well
     */
    static @Nullable Reason judge(String name, boolean insideAwsChunked) {
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
