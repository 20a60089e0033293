package io.sekisho.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** Proves that the leak gate catches a leak: without this, a broken gate would pass silently. */
class LeakRecorderTest {

    @Test
    void aBufferDroppedWithoutReleaseIsRecordedAsALeak() throws Exception {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            LeakFailExtension.collectLeaks(); // start from a clean slate
            leakOne();

            // Drained here, so this class's own afterAll check stays green.
            assertThat(LeakFailExtension.collectLeaks()).isNotEmpty()
                    .anySatisfy(l -> assertThat(l).contains("leakOne"));
        } finally {
            ResourceLeakDetector.setLevel(before);
        }
    }

    @Test
    void theRecorderIsInstalledBeforeNettyCreatesItsDetectors() {
        assertThat(LeakRecorder.installed()).isTrue();
        assertThat(io.netty.util.ResourceLeakDetectorFactory.instance()).isInstanceOf(LeakRecorder.class);
    }

    private static void leakOne() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42);
        b.touch("leakOne");
        // no release: the reference dies here
    }
}
