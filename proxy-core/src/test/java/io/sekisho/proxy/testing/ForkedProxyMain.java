package io.sekisho.proxy.testing;

import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.audit.AsyncAuditLog;
import java.time.Duration;

/**
 * Runs the real proxy in a JVM of its own (for tests that bound its heap): routes origin.test to
 * 127.0.0.1:{@code args[0]}, writes the audit log to {@code args[1]}, prints "PORT n" once
 * listening, and stops when its standard input closes.
 */
public final class ForkedProxyMain {
    private ForkedProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        ProxyServer server = ProxyServer.builder(
                TestConfigs.builder().resolve("origin.test", Integer.parseInt(args[0])).build(),
                TestPolicy.allowing("origin.test"), AsyncAuditLog.open(args[1], 1000), new FakeResolver())
                .workerThreads(2).start();
        System.out.println("PORT " + server.address().getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our stdin
        }
        server.shutdown(Duration.ofSeconds(1));
    }
}
