package io.sekisho.policy.aws.credentials;

import java.util.Objects;

/**
 * The credential a request carries, as {@link CredentialExtractor} found it. Holds no secret:
 * only the access key ID (an identifier, masked before it reaches a log), never a signature,
 * secret key or session token.
 *
 * @param form how the request was signed
 * @param accessKeyId the key ID, "" when none was found
 * @param service the service of the credential scope, "" when none
 * @param region the region of the scope (SigV4a: the {@code X-Amz-Region-Set}), "" when none
 * @param location where the key was found, e.g. {@code header:Authorization},
 *     {@code query:X-Amz-Credential}, {@code body:form-field:x-amz-credential}; "" when none
 * @param sessionToken true when a session token accompanies the key
 * @param declaredAccount an account stated in clear by the credential itself (Bedrock long-term
 *     key), "" when none
 * @param problem why the credential cannot be trusted, {@link Problem#NONE} when it can
 */
public record ExtractedCredential(
        SigningForm form,
        String accessKeyId,
        String service,
        String region,
        String location,
        boolean sessionToken,
        String declaredAccount,
        Problem problem) {

    /** What is wrong with the credential evidence of a request. */
    public enum Problem {
        NONE,
        /** Two different access key IDs in one request. */
        CONFLICT,
        /** A credential is present but cannot be parsed (or its key ID is not a key ID). */
        MALFORMED,
        /** The POST form body ended before its file part: the fields were not all seen. */
        BODY_INCOMPLETE,
        /** The POST form body is not valid multipart. */
        BODY_MALFORMED
    }

    public static final ExtractedCredential NONE =
            new ExtractedCredential(SigningForm.NONE, "", "", "", "", false, "", Problem.NONE);

    public ExtractedCredential {
        Objects.requireNonNull(form);
        Objects.requireNonNull(accessKeyId);
        Objects.requireNonNull(service);
        Objects.requireNonNull(region);
        Objects.requireNonNull(location);
        Objects.requireNonNull(declaredAccount);
        Objects.requireNonNull(problem);
    }

    public boolean hasKey() {
        return !accessKeyId.isEmpty();
    }

    /** True when the request carries some credential, even one that names no key. */
    public boolean present() {
        return form != SigningForm.NONE;
    }
}
