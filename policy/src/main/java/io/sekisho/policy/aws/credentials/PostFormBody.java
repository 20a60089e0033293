package io.sekisho.policy.aws.credentials;

import static io.sekisho.policy.aws.wire.AwsWireFacts.SIGV4A_ALGORITHM;

import io.sekisho.policy.aws.request.PostForm;
import java.util.Objects;

/**
 * An S3 browser POST form ({@code multipart/form-data}, §1.7): {@code x-amz-credential} or
 * {@code AWSAccessKeyId} fields before the file part. A form whose file part was not reached in
 * an incomplete body is a problem: a field after it could still name another key.
 */
final class PostFormBody implements CredentialCarrier {
    @Override
    public Reads reads() {
        return Reads.BODY;
    }

    @Override
    public void read(CarrierInput in, CredentialCollector c) {
        if (!in.headers().contentTypeStartsWith("multipart/form-data")) {
            return;
        }
        PostForm parsed = in.form();
        if (parsed == null) {
            parsed = PostForm.parse(Objects.requireNonNull(in.body(), "a BODY carrier runs with a body"), in.headers());
        }
        fields(parsed, c);
    }

    private static void fields(PostForm f, CredentialCollector c) {
        if (f.malformed) {
            c.problem(ExtractedCredential.Problem.BODY_MALFORMED);
            return;
        }
        if (f.conflict) {
            c.problem(ExtractedCredential.Problem.CONFLICT);
            return;
        }
        if (f.credential != null) {
            boolean v4a = f.algorithm != null && f.algorithm.equalsIgnoreCase(SIGV4A_ALGORITHM);
            CredentialScope.read(f.credential, 0, f.credential.length(), v4a, SigningForm.POST_FORM_V4,
                    "body:form-field:x-amz-credential", c);
            if (v4a && f.regionSet != null) {
                c.regionSet(f.regionSet);
            }
        }
        if (f.accessKeyId != null) {
            c.key(SigningForm.POST_FORM_V2, f.accessKeyId.strip(), "", "", "body:form-field:AWSAccessKeyId");
        }
        c.sessionToken |= f.sessionToken;
        if (!f.fileReached) {
            c.postFormUnfinished();
        }
    }
}
