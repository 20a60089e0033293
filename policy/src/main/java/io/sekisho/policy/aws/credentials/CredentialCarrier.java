package io.sekisho.policy.aws.credentials;

/**
 * One place on the wire where a request can carry an AWS credential (aws-wire-facts §1): a
 * header, the query, a form body. Each carrier is one class; {@link CredentialExtractor#CARRIERS}
 * lists them all, in the order of aws-wire-facts §1.13, which matters: the first key found sets
 * the form and scope, and the first problem found is the one reported ({@link CredentialCollector}).
 *
 * <p>A carrier reports what it finds to the request's {@link CredentialCollector}: a key ID with
 * its scope, an opaque credential, a malformed one, a session token. It never resolves a key to
 * an account and never asks for a lookup: {@link AccountResolver} does that with every carrier's
 * key, after extraction. A carrier is stateless and never throws, whatever the request holds.
 */
public interface CredentialCarrier {
    /** What a carrier reads. */
    enum Reads {
        /** The request line and headers only: it runs on every extraction. */
        HEAD,
        /**
         * The body as well: it runs only when the caller supplied the body, which the AWS
         * inspector asks for per service and content type ({@code request/BodyPlan}).
         */
        BODY
    }

    /** What this carrier reads (the request head, or the body too). */
    Reads reads();

    /** Tells {@code c} what this carrier finds in {@code in}. */
    void read(CarrierInput in, CredentialCollector c);
}
