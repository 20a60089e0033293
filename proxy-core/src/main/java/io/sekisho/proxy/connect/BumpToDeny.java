package io.sekisho.proxy.connect;

import io.sekisho.policy.Decision;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.RuntimeState;

/**
 * When a denied CONNECT is answered Squid's bump-to-deny way (200, TLS with a minted leaf, the
 * block page to the first request) instead of a 403 the browser would hide behind
 * {@code ERR_TUNNEL_CONNECTION_FAILED}: when the interception CA is configured, the CONNECT
 * named a host, and the client looks like a browser. A browser is a CONNECT whose
 * {@code User-Agent} starts with {@code Mozilla/}: Chromium, Firefox, Safari and Edge send
 * their user agent on the CONNECT; curl, the AWS CLI and SDKs, Java and Python clients do not
 * say Mozilla/ and keep the 403, which they can read. Refusals that come before any policy (a
 * bad CONNECT, AUDIT_UNAVAILABLE) are never bumped.
 */
final class BumpToDeny {
    static final String BROWSER_PREFIX = "Mozilla/";

    private BumpToDeny() {
    }

    static boolean applies(ProxyServices services, RuntimeState state, boolean hostKnown, String userAgent,
            Decision d) {
        return hostKnown && !d.allowed() && services.tls().interception() != null && state.config().tls() != null
                && userAgent.startsWith(BROWSER_PREFIX);
    }
}
