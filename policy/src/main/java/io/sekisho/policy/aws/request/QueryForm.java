package io.sekisho.policy.aws.request;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.aws.resources.AccountSet;
import io.sekisho.policy.aws.resources.ParamAccounts;
import io.sekisho.policy.aws.wire.ParamSink;
import io.sekisho.policy.aws.wire.Params;

/**
 * A Query-protocol form body ({@code application/x-www-form-urlencoded}: STS, EC2, SNS, IAM,
 * legacy SQS…) read in one pass for all three of its readers: the presigned and SigV2 credential
 * parameters, the resource accounts ({@link ParamAccounts}) and the {@code Action} name. The
 * body used to be walked once per reader, which the benchmark showed as the largest cost of
 * Query-protocol calls.
 *
 * <p>The credential parameters go, in body order, to the credential reader the extraction gives
 * ({@code credentials/QueryFormBody}; the first key or problem wins there, so order matters):
 * the pass runs when the credential extraction reaches the body. A reader that comes before it,
 * or without it, triggers the pass without a credential reader. Built per request, never shared.
 */
public final class QueryForm {
    private final CharSequence body;
    private final AccountSet accounts = new AccountSet();
    private boolean accountsRead;
    private @Nullable String action;
    private boolean read;

    QueryForm(CharSequence body) {
        this.body = body;
    }

    /** The one pass: every parameter to {@code credentials}, resource accounts and Action kept here. */
    public void read(ParamSink credentials) {
        ParamAccounts resources = new ParamAccounts(accounts);
        boolean scanning = true;
        boolean actionSeen = false;
        Params p = Params.of(body);
        while (p.next()) {
            credentials.param(p);
            scanning = scanning && resources.param(p); // stops at a bad escape, as the scan did
            if (!actionSeen && p.nameEquals("Action")) {
                actionSeen = true;
                action = p.value();
            }
        }
        credentials.end();
        if (scanning) {
            resources.finish();
        }
        accountsRead = scanning;
        read = true;
    }

    /** Adds the body's resource accounts to {@code out}; false when a parameter holds a bad escape. */
    public boolean accountsInto(AccountSet out) {
        readAlone();
        out.addAll(accounts);
        return accountsRead;
    }

    /** The first {@code Action} value (null when absent or badly escaped). */
    @Nullable String action() {
        readAlone();
        return action;
    }

    private void readAlone() {
        if (!read) {
            read(ParamSink.NONE);
        }
    }
}
