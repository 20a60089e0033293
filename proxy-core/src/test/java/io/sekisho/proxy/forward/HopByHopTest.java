package io.sekisho.proxy.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/** RFC 9110 §7.6.1 connection-specific headers never cross the proxy. */
class HopByHopTest {

    @Test
    void removesTheFixedSetAndWhateverConnectionNames() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("Connection", "keep-alive, X-Private")
                .add("Connection", "x-other")
                .add("X-Private", "1").add("X-Other", "2")
                .add("Keep-Alive", "timeout=5").add("Proxy-Connection", "keep-alive")
                .add("Proxy-Authorization", "Basic Zm9vOmJhcg==").add("Proxy-Authenticate", "Basic")
                .add("TE", "trailers").add("Trailer", "X-T").add("Transfer-Encoding", "chunked")
                .add("Upgrade", "websocket")
                .add("Host", "example.com").add("Authorization", "AWS4-HMAC-SHA256 ...").add("Accept", "*/*");

        HopByHop.strip(h);

        assertThat(h.names()).containsExactlyInAnyOrder("Host", "Authorization", "Accept");
    }

    @Test
    void leavesEndToEndHeadersAlone() {
        HttpHeaders h = new DefaultHttpHeaders().add("Content-Length", "3").add("Expect", "100-continue")
                .add("Via", "1.0 other");

        HopByHop.strip(h);

        assertThat(h.names()).containsExactlyInAnyOrder("Content-Length", "Expect", "Via");
    }

    @Test
    void readsConnectionTokensAsSplitAndTrimWould() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("Connection", ",  X-A ,, x-b\t, ,")
                .add("Connection", "X-C")
                .add("Connection", "")
                .add("X-A", "1").add("X-B", "2").add("X-C", "3").add("X-D", "4");

        HopByHop.strip(h);

        assertThat(h.names()).containsExactly("X-D");
    }

    @Test
    void matchesNamesInAnyCaseAndInAnyOrder() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("x-named-later", "1")
                .add("tRaNsFeR-EnCoDiNg", "chunked").add("PROXY-AUTHORIZATION", "Basic Zm9vOmJhcg==")
                .add("Accept", "*/*")
                .add("CONNECTION", "X-Named-Later")
                .add("Trailers", "end-to-end: not hop-by-hop, only Trailer is");

        HopByHop.strip(h);

        assertThat(h.names()).containsExactlyInAnyOrder("Accept", "Trailers");
    }

    @Test
    void leavesHeadersWithoutHopByHopNamesUntouched() {
        HttpHeaders h = new DefaultHttpHeaders().add("Host", "example.com").add("Accept", "*/*").add("Accept", "x/y");

        HopByHop.strip(h);

        assertThat(h.entries()).hasSize(3);
        assertThat(h.getAll("Accept")).containsExactly("*/*", "x/y");
    }
}
