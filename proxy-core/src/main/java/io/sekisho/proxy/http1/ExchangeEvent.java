package io.sekisho.proxy.http1;

/**
 * Fired from the head of a client pipeline (so every inbound handler sees it) when one HTTP
 * exchange has ended and the connection stays open for the next request.
 */
public enum ExchangeEvent {
    /** The response was written in full and the connection is kept alive. */
    COMPLETE
}
