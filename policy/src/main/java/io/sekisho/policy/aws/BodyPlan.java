package io.sekisho.policy.aws;

import io.sekisho.policy.Headers;
import io.sekisho.policy.RequestFacts;

/**
 * Which part of a request body the AWS inspection reads, decided on the headers alone
 * (issue 4 point 6): Query-protocol forms, JSON protocols and S3 bucket configuration documents
 * are read whole; an S3 POST form up to its file part; object uploads, {@code aws-chunked}
 * streams, Lambda/Bedrock invocation payloads and anything binary are not read at all and
 * stream at once.
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
    POST_FORM;

    static BodyPlan of(RequestFacts f, HostMatch m, S3Request s3) {
        Headers h = f.headers();
        if (!hasBody(f) || m.noBody() || streamed(h)) {
            return NONE;
        }
        String ct = h.get("Content-Type");
        String method = f.method();
        if (s3 != null) {
            if (method.equals("POST") && startsWith(ct, "multipart/form-data")) {
                return POST_FORM;
            }
            return s3.isConfigurationWrite(method) ? S3_CONFIG : NONE;
        }
        if (dataPlanePath(f.path())) {
            return NONE;
        }
        if (startsWith(ct, "application/x-www-form-urlencoded")) {
            return FORM;
        }
        if (h.contains("X-Amz-Target") || (ct != null && Text.indexOfIgnoreCase(ct, "json", 0, ct.length()) >= 0)) {
            return JSON;
        }
        return NONE;
    }

    /** Content-Length &gt; 0, a Transfer-Encoding, or body bytes already handed over. */
    static boolean hasBody(RequestFacts f) {
        if (f.body() != null && f.body().hasRemaining()) {
            return true;
        }
        Headers h = f.headers();
        if (h.contains("Transfer-Encoding")) {
            return true;
        }
        String cl = h.get("Content-Length");
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
    private static boolean streamed(Headers h) {
        String ce = h.get("Content-Encoding");
        if (ce != null && Text.indexOfIgnoreCase(ce, "aws-chunked", 0, ce.length()) >= 0) {
            return true;
        }
        String sha = h.get("X-Amz-Content-SHA256");
        return sha != null && Text.startsWithIgnoreCase(sha, 0, sha.length(), "STREAMING-");
    }

    private static boolean dataPlanePath(String path) {
        for (String suffix : AwsWireFacts.DATA_PLANE_PATH_SUFFIXES) {
            if (path.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(String ct, String prefix) {
        return ct != null && Text.startsWithIgnoreCase(ct, Text.skipSpaces(ct, 0, ct.length()), ct.length(), prefix);
    }
}
