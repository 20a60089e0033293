package io.sekisho.proxy.forward;

import io.netty.channel.ChannelHandlerContext;
import io.sekisho.proxy.channel.SplicedChannels;

/**
 * How a forwarded exchange whose upgrade the origin accepted hands both of its connections to a
 * byte relay, without knowing either pipeline's layout. The assembly
 * ({@code pipeline/ClientPipelineInitializer}, whose table of contents lists the stage) implements
 * it. Called on the client's event loop, after the 101 went to the client.
 */
public interface ProtocolSwitch {
    /**
     * The client's HTTP handlers (around {@code forwarder}) and the upstream's HTTP handlers go;
     * relay handlers for {@code relay} take both sides. What either HTTP decoder already held
     * beyond the upgrade goes to the peer as bytes.
     */
    void toWebSocket(ChannelHandlerContext forwarder, SplicedChannels relay);
}
