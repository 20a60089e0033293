package io.sekisho.policy.aws.credentials;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.aws.request.QueryForm;
import io.sekisho.policy.aws.wire.Params;
import java.util.Objects;

/**
 * A Query-API form body ({@code application/x-www-form-urlencoded}: STS, EC2, SNS…) carrying
 * presigned or SigV2 parameters, read in the form's single pass ({@link QueryForm}) when the
 * request has one.
 */
final class QueryFormBody implements CredentialCarrier {
    @Override
    public Reads reads() {
        return Reads.BODY;
    }

    @Override
    public void read(CarrierInput in, CredentialCollector c) {
        if (!in.headers().contentTypeStartsWith("application/x-www-form-urlencoded")) {
            return;
        }
        @Nullable QueryForm form = in.queryForm();
        if (form != null) {
            form.read(new Presigned(Where.BODY_FORM, SigningForm.SIGV4_QUERY, SigningForm.SIGV2_QUERY, c));
        } else {
            Presigned.readAll(Params.of(Objects.requireNonNull(in.body(), "a BODY carrier runs with a body")),
                    Where.BODY_FORM, SigningForm.SIGV4_QUERY, SigningForm.SIGV2_QUERY, c);
        }
    }
}
