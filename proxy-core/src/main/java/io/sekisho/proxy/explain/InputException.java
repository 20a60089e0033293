package io.sekisho.proxy.explain;

/** An input that cannot be read as a request: the message names the input and what is wrong. */
public final class InputException extends Exception {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }
}
