package io.sekisho.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.RequestIds;
import io.sekisho.proxy.RuntimeState;
import io.sekisho.proxy.audit.AuditRecord;
import io.sekisho.proxy.block.BlockResponses;
import io.sekisho.proxy.forward.ForwardRequest;
import io.sekisho.proxy.forward.ForwardRequest.TunnelContext;
import io.sekisho.proxy.http1.ClientHttpCodec;
import io.sekisho.proxy.http1.PipeliningGate;
import io.sekisho.proxy.testing.FakeResolver;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import io.sekisho.proxy.upstream.Transport;
import io.sekisho.proxy.upstream.UpstreamLocator.Located;
import io.sekisho.proxy.upstream.UpstreamRoutes;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The router as issue 3 will install it behind TLS termination: origin-form requests become
 * https ForwardRequests for the CONNECT host, and a Host naming another host is refused
 * (HOST_MISMATCH, domain fronting). No TLS here: the seam is what is tested.
 */
class InterceptedRouterTest {
    private final List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    private final ProxyServices services = new ProxyServices(
            RuntimeState.of(TestConfigs.builder().build(), TestPolicy.allowing("*"), 1), Clock.systemUTC(),
            new RequestIds(new Random(1)), audit::add, BlockResponses.plainText(), new FakeResolver(), Transport.nio());
    private final TunnelContext tunnel = new TunnelContext(HostName.parse("bucket.s3.amazonaws.com"), 443,
            new Located(List.of(new InetSocketAddress("127.0.0.1", 1)), UpstreamRoutes.Route.Kind.OVERRIDE),
            Decision.allow(Reason.DOMAIN_ALLOWED, ".amazonaws.com").withIntercept(true));

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(ClientHttpCodec.forLimits(TestConfigs.builder().build().limits()),
                new PipeliningGate(), ProxyRequestRouter.intercepted(services, tunnel));
    }

    @Test
    void originFormBecomesAnHttpsRequestForTheConnectHost() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(ascii("PUT /key?uploadId=1 HTTP/1.1\r\nHost: bucket.s3.amazonaws.com\r\n"
                + "Content-Length: 0\r\n\r\n"));

        ForwardRequest r = ch.readInbound();
        assertThat(r.target().scheme()).isEqualTo("https");
        assertThat(r.target().host().value()).isEqualTo("bucket.s3.amazonaws.com");
        assertThat(r.target().port()).isEqualTo(443);
        assertThat(r.target().path()).isEqualTo("/key");
        assertThat(r.target().query()).isEqualTo("uploadId=1");
        assertThat(r.tunnel()).isSameAs(tunnel);
        ReferenceCountUtil.release(ch.<HttpContent>readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void aHostHeaderNamingAnotherHostIsRefusedWith421HostMismatch() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(ascii("GET / HTTP/1.1\r\nHost: attacker-bucket.s3.amazonaws.com\r\n\r\n"));

        ByteBuf out = ch.readOutbound();
        String response = out.toString(StandardCharsets.US_ASCII);
        out.release();
        assertThat(response).startsWith("HTTP/1.1 421 ").contains("X-Sekisho-Reason: HOST_MISMATCH");
        assertThat(audit).singleElement().satisfies(a -> assertThat(a.decision().reason()).isEqualTo(Reason.HOST_MISMATCH));
        assertThat(ch.<Object>readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectInsideTheTunnelIsRefused() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(ascii("CONNECT other.example:443 HTTP/1.1\r\n\r\n"));

        ByteBuf out = ch.readOutbound();
        assertThat(out.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 405 ");
        out.release();
        ch.finishAndReleaseAll();
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}
