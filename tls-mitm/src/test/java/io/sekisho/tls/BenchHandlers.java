package io.sekisho.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CountDownLatch;

/** The bulk-transfer ends of {@link TlsProviderBench}. */
final class BenchHandlers {

    private static final int BULK_WRITE = 16 * 1024;

    private BenchHandlers() {
    }

    /** Counts bytes and releases them. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        private final long total;
        private final CountDownLatch done;
        private long received;

        Sink(long total, CountDownLatch done) {
            this.total = total;
            this.done = done;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received += ((ByteBuf) msg).readableBytes();
            ReferenceCountUtil.release(msg);
            if (received >= total) {
                done.countDown();
            }
        }
    }

    /** Writes {@code total} bytes while the channel is writable (server side: after the handshake). */
    static final class Source extends ChannelInboundHandlerAdapter {
        private final long total;
        private final CountDownLatch ready;
        private long sent;

        Source(long total, CountDownLatch ready) {
            this.total = total;
            this.ready = ready;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent && ctx.channel().parent() != null) {
                // Server side: wait (off the event loop) for the measurement to start, then pump.
                new Thread(() -> {
                    try {
                        ready.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    ctx.executor().execute(() -> pump(ctx));
                }).start();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        void pump(ChannelHandlerContext ctx) {
            while (sent < total && ctx.channel().isWritable()) {
                ctx.write(ctx.alloc().directBuffer(BULK_WRITE).writeZero(BULK_WRITE));
                sent += BULK_WRITE;
            }
            ctx.flush();
        }
    }
}
