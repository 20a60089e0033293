package io.sekisho.proxy.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a leaked buffer during it. Registered for every class
 * through META-INF/services (junit-platform.properties enables autodetection), so it is loaded
 * before any test touches Netty and its {@link LeakRecorder} creates every leak detector. Netty
 * reports a leak only after the leaked object is collected and another tracked object is
 * allocated, so after each class this collects garbage and allocates a few tracked buffers.
 */
public final class LeakFailExtension implements BeforeAllCallback, AfterAllCallback {
    static {
        LeakRecorder.install();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        LeakRecorder.install();
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) during "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }

    /** Collects garbage, lets Netty's detectors poll their queues, and returns what they reported. */
    public static List<String> collectLeaks() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50);
            // Each tracked allocation drains the detector's reference queue and reports leaks.
            for (int i = 0; i < 32; i++) {
                release(PooledByteBufAllocator.DEFAULT.directBuffer(16));
                release(PooledByteBufAllocator.DEFAULT.heapBuffer(16));
                release(UnpooledByteBufAllocator.DEFAULT.directBuffer(16));
                release(UnpooledByteBufAllocator.DEFAULT.heapBuffer(16));
                release(io.netty.buffer.ByteBufAllocator.DEFAULT.buffer(16));
            }
        }
        return LeakRecorder.drain();
    }

    private static void release(ByteBuf b) {
        b.release();
    }
}
