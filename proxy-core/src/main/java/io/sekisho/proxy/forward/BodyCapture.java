package io.sekisho.proxy.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.ByteBuffer;

/**
 * Keeps the first {@code limit} bytes of a body for the policy while the body itself goes on
 * (or waits in the exchange's queue): the capture holds retained slices, never a second copy,
 * and never more than {@code limit} bytes. {@link #release()} must be called once.
 */
final class BodyCapture {
    private final int limit;
    private final CompositeByteBuf bytes;
    private boolean complete;
    private boolean overflow;

    BodyCapture(ByteBufAllocator alloc, int limit) {
        this.limit = limit;
        this.bytes = alloc.compositeBuffer(Integer.MAX_VALUE);
    }

    /** Adds the next piece of the body. */
    void add(ByteBuf content, boolean last) {
        int room = limit - bytes.readableBytes();
        int take = Math.min(room, content.readableBytes());
        if (take > 0) {
            bytes.addComponent(true, content.retainedSlice(content.readerIndex(), take));
        }
        if (take < content.readableBytes()) {
            overflow = true;
        } else if (last) {
            complete = true;
        }
    }

    /**
     * True once the policy can be asked: the body ended within the limit, or went past it. A
     * body exactly {@code limit} long waits for its end, so it is not mistaken for a longer one.
     */
    boolean satisfied() {
        return complete || overflow;
    }

    /** True when the captured bytes are the whole body. */
    boolean complete() {
        return complete;
    }

    int size() {
        return bytes.readableBytes();
    }

    /** A read-only copy-free view when the capture is one piece, else one merged buffer. */
    ByteBuffer view() {
        return bytes.nioBuffer().asReadOnlyBuffer();
    }

    void release() {
        if (bytes.refCnt() > 0) {
            bytes.release();
        }
    }
}
