package io.sekisho.policy.aws;

import io.sekisho.policy.RequestFacts;

/**
 * Which part of a request body the AWS inspection reads, decided on the headers alone
 * (issue 4 point 6): Query-protocol forms, JSON protocols and S3 bucket configuration documents
 * are read whole; an S3 POST form up to its file part; object uploads, {@code aws-chunked}
 * streams, Lambda/Bedrock invocation payloads and bodies typed as binary data are not read at
 * all and stream at once; any other body to a non-S3 API is read and searched for ARNs.
 */
enum BodyPlan {
    NONE,
    /** application/x-www-form-urlencoded: Query protocol (STS, EC2, SNS, IAM, legacy SQS…). */
    FORM,
    /** X-Amz-Target or a JSON content type: JSON and REST-JSON protocols. */
    JSON,
    /** S3 PUT/POST ?policy, ?replication…: a JSON policy or an XML configuration. */
    S3_CONFIG,
    /** S3 browser POST form: the multipart fields before the file. */
    POST_FORM,
    /** Anything else that is not binary data (no content type, text, CBOR): scanned for ARNs. */
    OPAQUE;

    static BodyPlan of(RequestFacts f, AwsHeaders h, HostMatch m, S3Request s3) {
        if (!hasBody(f, h) || m.noBody() || streamed(h)) {
            return NONE;
        }
        String method = f.method();
        if (s3 != null) {
            if (method.equals("POST") && h.contentTypeStartsWith("multipart/form-data")) {
                return POST_FORM;
            }
            return s3.isConfigurationWrite(method) ? S3_CONFIG : NONE;
        }
        if (dataPlanePath(f.path())) {
            return NONE;
        }
        if (h.contentTypeStartsWith("application/x-www-form-urlencoded")) {
            return FORM;
        }
        if (h.target != null || h.contentTypeIsJson()) {
            return JSON;
        }
        return binary(h) ? NONE : OPAQUE;
    }

    private static boolean binary(AwsHeaders h) {
        for (String type : AwsWireFacts.BINARY_CONTENT_TYPES) {
            if (h.contentTypeStartsWith(type)) {
                return true;
            }
        }
        return false;
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

    /** aws-chunked uploads and streaming payload signatures are decided on headers (§1.4). */
    private static boolean streamed(AwsHeaders h) {
        String ce = h.contentEncoding;
        if (ce != null && Text.indexOfIgnoreCase(ce, "aws-chunked", 0, ce.length()) >= 0) {
            return true;
        }
        String sha = h.contentSha256;
        return sha != null && Text.startsWithIgnoreCase(sha, 0, sha.length(), "STREAMING-");
    }

    private static final String[] DATA_PLANE_PATH_SUFFIXES =
            AwsWireFacts.DATA_PLANE_PATH_SUFFIXES.toArray(new String[0]);

    private static boolean dataPlanePath(String path) {
        if (path.length() <= 1) {
            return false; // "/": Query and JSON protocol calls
        }
        for (String suffix : DATA_PLANE_PATH_SUFFIXES) {
            if (path.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }
}
