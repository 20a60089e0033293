package io.sekisho.proxy.testing;

import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.audit.AsyncAuditLog;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs the real proxy in a JVM of its own (for tests that bound its heap): routes origin.test to
 * 127.0.0.1:{@code args[0]}, writes the audit log to {@code args[1]}, prints "PORT n" once
 * listening, and stops when its standard input closes. With {@code args[2..4]} (proxy CA PEM,
 * its key, the origin's CA PEM) it intercepts origin.test and verifies the origin with that CA.
 */
public final class ForkedProxyMain {
    private ForkedProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        TestConfigs config = TestConfigs.builder().resolve("origin.test", Integer.parseInt(args[0]));
        boolean intercept = args.length >= 5;
        if (intercept) {
            config.interceptWith(Path.of(args[2]), Path.of(args[3])).trust(Path.of(args[4]));
        }
        ProxyServer server = ProxyServer.builder(config.build(),
                TestPolicy.allowing("origin.test").intercepting(intercept), AsyncAuditLog.open(args[1], 1000),
                new FakeResolver())
                .workerThreads(2).start();
        System.out.println("PORT " + server.address().getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our stdin
        }
        server.shutdown(Duration.ofSeconds(1));
    }
}
