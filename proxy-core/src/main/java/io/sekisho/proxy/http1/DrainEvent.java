package io.sekisho.proxy.http1;

/**
 * Fired into every client pipeline when graceful shutdown begins: a connection with no exchange
 * in flight closes at once; one with an exchange finishes it with {@code Connection: close};
 * tunnels run on until the drain deadline.
 */
public enum DrainEvent {
    INSTANCE
}
