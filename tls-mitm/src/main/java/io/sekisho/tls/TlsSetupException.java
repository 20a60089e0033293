package io.sekisho.tls;

/**
 * A TLS setting that cannot be used at start-up (a CA, a trust file). The message names the
 * file and the problem so that an operator can fix it without a stack trace; it never holds
 * key material.
 */
public class TlsSetupException extends Exception {

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
