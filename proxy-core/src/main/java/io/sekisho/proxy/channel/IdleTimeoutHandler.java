package io.sekisho.proxy.channel;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection on which nothing was read or written for {@code timeouts.idle}. In a
 * tunnel each side has one; closing one side closes the other through the relay.
 */
public final class IdleTimeoutHandler extends IdleStateHandler {

    public IdleTimeoutHandler(Duration idle) {
        super(0, 0, Math.max(1, idle.toMillis()), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ctx.close();
    }
}
