package io.sekisho.tls;

import java.util.Objects;

/**
 * The CA given to the proxy cannot be used. The proxy refuses to start with {@link #getMessage()};
 * {@link #problem()} says which check failed, for tests and for the exit code.
 */
public final class CaException extends TlsSetupException {

    /** Which check failed. */
    public enum Problem {
        /** The file cannot be read, or is not PEM / PKCS#12 / a certificate. */
        UNREADABLE,
        /** No certificate in the certificate file (or PKCS#12 key entry). */
        NO_CERTIFICATE,
        /** No private key in the key file (or PKCS#12). */
        NO_KEY,
        /** More than one private key in a PKCS#12 file: which one signs is ambiguous. */
        SEVERAL_KEYS,
        /** The key is encrypted and no password was given. */
        PASSWORD_REQUIRED,
        /** The password does not decrypt the key or open the PKCS#12 file. */
        WRONG_PASSWORD,
        /** Not an RSA or EC key. */
        UNSUPPORTED_KEY,
        /** basicConstraints CA=true is missing. */
        NOT_A_CA,
        /** keyUsage keyCertSign is missing. */
        NO_KEY_CERT_SIGN,
        /** notAfter is in the past. */
        EXPIRED,
        /** notBefore is in the future. */
        NOT_YET_VALID,
        /** The private key does not belong to the certificate. */
        KEY_MISMATCH
    }

    private final Problem problem;

    CaException(Problem problem, String message) {
        super(message);
        this.problem = Objects.requireNonNull(problem);
    }

    CaException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = Objects.requireNonNull(problem);
    }

    public Problem problem() {
        return problem;
    }
}
