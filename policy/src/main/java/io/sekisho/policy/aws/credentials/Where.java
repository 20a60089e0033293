package io.sekisho.policy.aws.credentials;

/**
 * The audit locations of the parameters of one carrier, built once: concatenating them per
 * request showed in the profile.
 */
public record Where(String credential, String accessKeyId, String badName) {
    static final Where QUERY = prefixed("query:");
    public static final Where BODY_FORM = prefixed("body:form:");

    /** "query:" → "query:X-Amz-Credential", "query:AWSAccessKeyId", "query:?". */
    static Where prefixed(String prefix) {
        return new Where(prefix + "X-Amz-Credential", prefix + "AWSAccessKeyId", prefix + "?");
    }

    /** One location for every parameter (a bearer token's header). */
    static Where at(String location) {
        return new Where(location, location, location);
    }
}
