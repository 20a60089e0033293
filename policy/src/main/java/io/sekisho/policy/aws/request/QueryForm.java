package io.sekisho.policy.aws.request;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.aws.wire.ParamSink;
import io.sekisho.policy.aws.wire.Params;

/**
 * A Query-protocol form body ({@code application/x-www-form-urlencoded}: STS, EC2, SNS, IAM,
 * legacy SQS…) read in one pass for all three of its readers: the presigned and SigV2 credential
 * parameters, the resource accounts (a reader {@link #tap tapped} in by {@code resources}) and
 * the {@code Action} name. The body used to be walked once per reader, which the benchmark showed
 * as the largest cost of Query-protocol calls.
 *
 * <p>The credential parameters go, in body order, to the credential reader the extraction gives
 * ({@code credentials/QueryFormBody}; the first key or problem wins there, so order matters):
 * the pass runs when the credential extraction reaches the body. A reader that comes before it,
 * or without it, triggers the pass without a credential reader. Built per request, never shared.
 */
public final class QueryForm {
    private final CharSequence body;
    private ParamSink tap = ParamSink.NONE;
    private @Nullable String action;
    private boolean read;

    QueryForm(CharSequence body) {
        this.body = body;
    }

    /**
     * Adds {@code reader} to the one pass. A reader tapped in after the pass has run reads the
     * form on its own, at once, so what it reads never depends on the order of the callers.
     *
     * @throws IllegalStateException when another reader is tapped in already
     */
    public void tap(ParamSink reader) {
        if (tap != ParamSink.NONE) {
            throw new IllegalStateException("a Query form has one tapped reader");
        }
        tap = reader;
        if (read) {
            Params p = Params.of(body);
            while (p.next()) {
                reader.param(p);
            }
            reader.end();
        }
    }

    /** The one pass: every parameter to {@code credentials} and the tapped reader, and Action kept here. */
    public void read(ParamSink credentials) {
        boolean actionSeen = false;
        Params p = Params.of(body);
        while (p.next()) {
            credentials.param(p);
            tap.param(p);
            if (!actionSeen && p.nameEquals("Action")) {
                actionSeen = true;
                action = p.value();
            }
        }
        credentials.end();
        tap.end();
        read = true;
    }

    /** Runs the pass without a credential reader unless it has run. */
    public void readAlone() {
        if (!read) {
            read(ParamSink.NONE);
        }
    }

    /** The first {@code Action} value (null when absent or badly escaped). */
    @Nullable String action() {
        readAlone();
        return action;
    }
}
