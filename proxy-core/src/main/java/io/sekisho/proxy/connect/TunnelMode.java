package io.sekisho.proxy.connect;

import io.sekisho.policy.Decision;

/** What an allowed CONNECT becomes, from {@link Decision#intercept()}. */
public enum TunnelMode {
    /** Bytes relayed untouched; the ClientHello's SNI is checked against the CONNECT host. */
    TUNNEL,
    /**
     * TLS terminated with a minted leaf so that each request inside is inspected. Only when
     * {@code tls} is configured: without a CA, {@link ConnectHandler} relays these like {@link #TUNNEL}.
     */
    INTERCEPT;

    public static TunnelMode of(Decision d) {
        return d.intercept() ? INTERCEPT : TUNNEL;
    }
}
