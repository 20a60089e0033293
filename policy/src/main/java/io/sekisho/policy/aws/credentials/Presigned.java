package io.sekisho.policy.aws.credentials;

import static io.sekisho.policy.aws.wire.AwsWireFacts.SIGV4A_ALGORITHM;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.aws.wire.ParamSink;
import io.sekisho.policy.aws.wire.Params;

/**
 * The presigned-URL parameters of one query or form, fed to it one parameter at a time:
 * {@code X-Amz-Credential} (with {@code X-Amz-Algorithm} telling SigV4 from SigV4a) and SigV2's
 * {@code AWSAccessKeyId}. Serves the request query ({@link PresignedQuery}), the URLs inside
 * bearer tokens ({@link BearerTokens}) and Query-API form bodies, which feed it from their single
 * pass ({@code request/QueryForm}).
 */
public final class Presigned implements ParamSink {
    private final Where where;
    private final SigningForm v4Form;
    private final SigningForm v2Form;
    private final CredentialCollector c;
    private @Nullable String credential;
    private @Nullable String regionSet;
    private boolean v4a;
    private boolean any;

    public Presigned(Where where, SigningForm v4Form, SigningForm v2Form, CredentialCollector c) {
        this.where = where;
        this.v4Form = v4Form;
        this.v2Form = v2Form;
        this.c = c;
    }

    /** Reads every parameter of {@code p}; true when a credential parameter was found. */
    public static boolean readAll(Params p, Where where, SigningForm v4Form, SigningForm v2Form,
            CredentialCollector c) {
        Presigned found = new Presigned(where, v4Form, v2Form, c);
        while (p.next()) {
            found.param(p);
        }
        return found.finish();
    }

    @Override
    public void param(Params p) {
        if (p.nameIs("X-Amz-Credential")) {
            String value = p.value();
            if (value == null || (credential != null && !credential.equals(value))) {
                c.malformedOrConflict(value == null, v4Form, where.credential());
            }
            credential = credential == null ? value : credential;
        } else if (p.nameIs("X-Amz-Algorithm")) {
            String a = p.value();
            v4a = a != null && a.equalsIgnoreCase(SIGV4A_ALGORITHM);
        } else if (p.nameIs("X-Amz-Region-Set")) {
            regionSet = p.value();
        } else if (p.nameIs("AWSAccessKeyId")) {
            String value = p.value();
            any = true;
            if (value == null) {
                c.malformed(v2Form, where.accessKeyId());
            } else {
                c.key(v2Form, value, "", "", where.accessKeyId());
            }
        } else if (p.nameIs("X-Amz-Security-Token") || p.nameIs("SecurityToken")
                || p.nameIs("X-Amz-S3session-Token")) {
            c.sessionToken = true;
        } else if (p.nameMalformed()) {
            c.malformed(v4Form, where.badName());
        }
    }

    @Override
    public void end() {
        finish();
    }

    /** After the last parameter: reads the credential scope; true when any credential parameter was met. */
    public boolean finish() {
        if (credential != null) {
            SigningForm form = v4Form == SigningForm.SIGV4_QUERY && v4a ? SigningForm.SIGV4A_QUERY : v4Form;
            CredentialScope.read(credential, 0, credential.length(), v4a, form, where.credential(), c);
            if (v4a && regionSet != null) {
                c.regionSet(regionSet);
            }
        }
        return any || credential != null;
    }
}
