package io.sekisho.policy.aws.request;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.aws.catalog.HostMatch;
import io.sekisho.policy.aws.catalog.ServiceProfile;
import io.sekisho.policy.aws.wire.Text;

/**
 * Which part of a request body the AWS inspection reads, decided on the headers alone
 * (issue 4 point 6, issue 18 point 3). What is skipped is chosen by service and operation, never
 * by a header the client writes as it likes: S3 object data and the data-plane paths the host
 * catalog names for the host's own service (Lambda invoke, Bedrock runtime, SageMaker runtime,
 * EBS blocks) are not read; every other body is. The body of a service that speaks only the Query
 * protocol is read as a form, of one that speaks only JSON as JSON, whatever the Content-Type
 * says; a service that speaks several (SQS, CloudWatch) or that the catalog does not know is read
 * by X-Amz-Target and Content-Type, else as a body of unknown format (OPAQUE). Content-Encoding, X-Amz-Content-SHA256
 * and binary content types switch nothing off: a body that is read is decoded first
 * ({@link ContentCodings}).
 */
public enum BodyPlan {
    NONE,
    /** A Query-protocol form (STS, EC2, SNS, IAM, legacy SQS…). */
    FORM,
    /** JSON and REST-JSON protocols: X-Amz-Target, a JSON-only service, or a JSON content type. */
    JSON,
    /** S3 PUT/POST ?policy, ?replication…: a JSON policy or an XML configuration. */
    S3_CONFIG,
    /** S3 browser POST form: the multipart fields before the file. */
    POST_FORM,
    /** Anything else (no content type, text, CBOR, binary types): scanned for ARNs. */
    OPAQUE;

    static BodyPlan of(RequestFacts f, AwsHeaders h, HostMatch m, @Nullable S3Request s3) {
        if (!hasBody(f, h) || m.noBody()) {
            return NONE;
        }
        String method = f.method();
        if (s3 != null) {
            if (method.equals("POST") && h.contentTypeStartsWith("multipart/form-data")) {
                return POST_FORM;
            }
            return s3.isConfigurationWrite(method) ? S3_CONFIG : NONE;
        }
        ServiceProfile service = m.profile();
        if (service.isDataPlane(f.path())) {
            return NONE;
        }
        if (service.queryOnly()) {
            // X-Amz-Target is how a JSON call is routed: were the service to take JSON too, it would come so.
            return h.target != null ? JSON : FORM;
        }
        if (service.jsonOnly() || h.target != null || h.contentTypeIsJson()) {
            return JSON;
        }
        return h.contentTypeStartsWith("application/x-www-form-urlencoded") ? FORM : OPAQUE;
    }

    /** Content-Length &gt; 0, a Transfer-Encoding, or body bytes already handed over. */
    static boolean hasBody(RequestFacts f, AwsHeaders h) {
        if (f.body() != null && f.body().hasRemaining()) {
            return true;
        }
        if (h.transferEncoding != null) {
            return true;
        }
        String cl = h.contentLength;
        if (cl == null) {
            return false;
        }
        for (int i = 0; i < cl.length(); i++) {
            char c = cl.charAt(i);
            if (c != '0' && !Text.isSpace(c)) {
                return true; // any other digit (or junk, which the proxy rejects) means a body
            }
        }
        return false;
    }
}
