package io.sekisho.proxy.adversarial;

import io.sekisho.proxy.testing.AuditLines;
import io.sekisho.proxy.testing.RawClient;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Polling for what the proxy does asynchronously (closing connections, writing audit lines), and writes that may meet a close. */
final class Probes {
    private Probes() {
    }

    /** Polls {@code condition} for up to 10 s; true as soon as it holds. */
    static boolean until(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** How many audit lines so far have this reason. */
    static long count(AuditLines audit, String reason) {
        return audit.all().stream().filter(l -> reason.equals(l.get("reason"))).count();
    }

    /** @return true when the write failed because the proxy has closed the connection */
    static boolean sendFails(RawClient c, String text) {
        try {
            c.send(text);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
