package io.sekisho.policy.aws.credentials;

/**
 * One scheme of the {@code Authorization} header ({@link AuthorizationHeader} lists them): the
 * word it starts with, and what reads the rest of the value.
 */
interface AuthorizationScheme {
    /** What the value starts with, after leading spaces, compared ignoring case ("AWS ", "Bearer "). */
    String prefix();

    /** Reads {@code value} from just after the prefix to {@code to}. */
    void read(String value, int from, int to, CredentialCollector c);
}
