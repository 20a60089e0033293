package io.sekisho.proxy.connect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.sekisho.proxy.channel.SplicedChannels;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one direction of a tunnel (STYLE.md rule 8, after Netty's HexDumpProxy handlers):
 * AUTO_READ is off, and this side is read again only once the write to the peer has succeeded,
 * so a slow reader slows the writer instead of filling memory. One instance on each channel.
 * What one read brought is written at once and flushed once, at the end of the read (one
 * syscall per batch instead of one per buffer); the write listener is one object per side, not
 * one per write. It serves a CONNECT tunnel and a WebSocket after its 101 alike.
 */
public final class TunnelRelayHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TunnelRelayHandler.class);

    /**
     * The most one read of a tunnel side may take: 256 KiB instead of Netty's 64 KiB, so that a
     * bulk transfer costs a quarter of the recv/send pairs and event-loop turns per MiB (less
     * proxy CPU per MiB in the bench's 1 MiB downloads). The buffer is sized adaptively from
     * 2 KiB up, and each side still has at most one read in flight, so a tunnel holds at most
     * 2 × 256 KiB of relayed data, and an idle tunnel none. Netty keeps a channel's sizing
     * handle from its first read, so the client side gets this as a child option of the
     * listener ({@code ProxyServer}); the upstream side gets it here, before its first read.
     */
    public static final int MAX_READ_BYTES = 256 * 1024;
    public static final AdaptiveRecvByteBufAllocator READ_SIZING = new AdaptiveRecvByteBufAllocator(
            AdaptiveRecvByteBufAllocator.DEFAULT_MINIMUM, AdaptiveRecvByteBufAllocator.DEFAULT_INITIAL, MAX_READ_BYTES);

    private final SplicedChannels tunnel;
    /** Reads this side again once what it sent is written; set when the handler is added. */
    private ChannelFutureListener readAgain;
    private boolean unflushed;

    public TunnelRelayHandler(SplicedChannels tunnel) {
        this.tunnel = tunnel;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Channel self = ctx.channel();
        self.config().setRecvByteBufAllocator(READ_SIZING);
        readAgain = f -> {
            if (tunnel.dropping(self)) {
                // The upstream closed under this write: what the client sends now is dropped.
                readToDrop(self);
            } else if (f.isSuccess()) {
                // Not after this side's FIN: its input has ended, there is nothing more to read.
                readUnlessShut(self);
            } else {
                tunnel.close();
            }
        };
    }

    private static void readUnlessShut(Channel self) {
        if (!inputShutdown(self)) {
            self.read();
        }
    }

    /** Reads the client on to drop what it sends, up to the limit; past it, the idle timeout ends the tunnel. */
    private void readToDrop(Channel self) {
        if (tunnel.mayDropMore()) {
            readUnlessShut(self);
        }
    }

    private static boolean inputShutdown(Channel ch) {
        return ch instanceof DuplexChannel d && d.isInputShutdown();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Channel self = ctx.channel();
        if (tunnel.dropping(self)) {
            tunnel.dropped(buf.readableBytes());
            buf.release();
            return;
        }
        Channel peer = tunnel.peerOf(self);
        tunnel.counted(self, buf.readableBytes());
        peer.write(buf).addListener(readAgain);
        unflushed = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel self = ctx.channel();
        if (unflushed) {
            unflushed = false;
            tunnel.peerOf(self).flush();
        } else if (tunnel.dropping(self)) {
            readToDrop(self);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            tunnel.inputShutdown(ctx.channel());
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // The upstream closed after the origin's FIN: the client side ends on its own FIN.
        if (!tunnel.closedAtOriginsFin(ctx.channel())) {
            tunnel.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets by either peer are ordinary on the Internet; anything else is worth a warning.
        if (cause instanceof IOException) {
            log.debug("tunnel {} closed: {}", ctx.channel() == tunnel.client() ? "client" : "upstream",
                    cause.toString());
        } else {
            // Only the class: a message could quote bytes from the wire.
            log.warn("tunnel failed: {}", cause.getClass().getName());
        }
        tunnel.close();
    }
}
