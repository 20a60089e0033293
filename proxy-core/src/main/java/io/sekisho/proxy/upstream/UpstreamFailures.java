package io.sekisho.proxy.upstream;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.proxy.ProxyConnectException;
import io.sekisho.policy.Reason;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;

/** Maps a failure to reach the upstream to its stable reason code. */
public final class UpstreamFailures {
    private UpstreamFailures() {
    }

    public static Reason reasonFor(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof UpstreamTlsException tls) {
            return tls.reason();
        }
        if (c instanceof UnknownHostException) {
            return Reason.DNS_FAILED;
        }
        if (c instanceof ConnectTimeoutException || c instanceof UpstreamPool.PoolExhaustedException
                || (c instanceof ProxyConnectException && String.valueOf(c.getMessage()).contains("timeout"))) {
            return Reason.UPSTREAM_TIMEOUT;
        }
        return Reason.UPSTREAM_CONNECT_FAILED;
    }

    /** What the audit line names as the cause (its rule text): the TLS failure's exception class, else "". */
    public static String causeOf(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c instanceof UpstreamTlsException tls ? tls.causeName() : "";
    }
}
