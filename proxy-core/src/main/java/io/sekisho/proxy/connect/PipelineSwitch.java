package io.sekisho.proxy.connect;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.forward.ForwardRequest.TunnelContext;
import io.sekisho.tls.ServerTls;
import java.util.concurrent.CompletableFuture;

/**
 * How a handler that owns a client connection hands it to its next stage without knowing the
 * pipeline's layout. The assembly ({@code pipeline/ClientPipelineInitializer}, whose table of
 * contents lists what each stage holds) implements it and gives it to the router and the
 * {@link ConnectHandler}; those replay what they hold and remove themselves afterwards.
 * Called on the client's event loop.
 */
public interface PipelineSwitch {
    /** A CONNECT head reached the router ({@code router}): a {@link ConnectHandler} goes after it. */
    void toConnect(ChannelHandlerContext router);

    /**
     * The CONNECT is connected: the HTTP handlers go, the tunnel's go after {@code connect} on the
     * client side and at the end of the upstream's pipeline.
     */
    void toTunnel(ChannelHandlerContext connect, Tunnel tunnel);

    /**
     * The CONNECT is intercepted: the client's TLS is terminated after {@code connect}, and the
     * HTTP handlers of {@code config} follow it, with a router for {@code tunnel}'s requests.
     */
    void toInterception(ChannelHandlerContext connect, SekishoConfig config, InterceptedConnect intercepted,
            CompletableFuture<ServerTls> leaf, TunnelContext tunnel);

    /**
     * A denied CONNECT answered with a block page ({@link BumpToDeny}): the HTTP handlers go; the
     * client's TLS is terminated with {@code leaf} after {@code connect}, then an HTTP codec and
     * {@code page}.
     */
    void toDenyPage(ChannelHandlerContext connect, SekishoConfig config, ServerTls leaf, ChannelHandler page);
}
