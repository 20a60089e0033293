package io.sekisho.proxy.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A bounded wait for something another thread does: the only kind of timing tests here rely on. */
public final class Await {
    private Await() {
    }

    /** Polls {@code condition} until it holds; fails when it does not within {@code limit}. */
    public static void until(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + limit.toMillis() + " ms");
            }
            Thread.sleep(20);
        }
    }
}
