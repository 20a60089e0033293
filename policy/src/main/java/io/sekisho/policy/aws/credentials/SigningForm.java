package io.sekisho.policy.aws.credentials;

/**
 * How a request carried its credential (aws-wire-facts §1). {@link #auditName()} is the coarser
 * value the audit line's {@code signing} field shows.
 */
public enum SigningForm {
    /** No credential at all. */
    NONE("none"),
    /** {@code Authorization: AWS4-HMAC-SHA256 Credential=…} (§1.1). */
    SIGV4_HEADER("sigv4-header"),
    /** {@code X-Amz-Credential=…} in the query: a presigned URL (§1.2). */
    SIGV4_QUERY("sigv4-query"),
    /** {@code Authorization: AWS4-ECDSA-P256-SHA256 …} (§1.3). */
    SIGV4A_HEADER("sigv4a"),
    /** {@code X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256} presigned (§1.3). */
    SIGV4A_QUERY("sigv4a"),
    /** {@code Authorization: AWS AKID:signature} (§1.6). */
    SIGV2_HEADER("sigv2"),
    /** {@code AWSAccessKeyId=} in the query or in a Query-API form body (§1.6). */
    SIGV2_QUERY("sigv2"),
    /** {@code X-Amzn-Authorization: AWS3-HTTPS AWSAccessKeyId=…} (§1.6). */
    SIGV3_HEADER("sigv3"),
    /** S3 POST form with {@code x-amz-credential} (§1.7). */
    POST_FORM_V4("post-form"),
    /** S3 POST form with {@code AWSAccessKeyId} (§1.7). */
    POST_FORM_V2("post-form"),
    /** {@code Authorization: Bearer …}: Bedrock and EKS tokens wrap a presigned URL (§1.8). */
    BEARER("bearer"),
    /** {@code Authorization: Basic …}: ECR registry logins (§1.8). */
    BASIC("basic");

    private final String auditName;

    SigningForm(String auditName) {
        this.auditName = auditName;
    }

    public String auditName() {
        return auditName;
    }
}
