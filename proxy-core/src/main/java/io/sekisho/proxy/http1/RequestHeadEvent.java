package io.sekisho.proxy.http1;

/**
 * Fired from the head of a client pipeline (so that handlers before the HTTP codec see it too)
 * when a complete request head has been decoded, before the request is passed on.
 */
public enum RequestHeadEvent {
    RECEIVED
}
