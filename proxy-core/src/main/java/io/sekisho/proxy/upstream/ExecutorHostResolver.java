package io.sekisho.proxy.upstream;

import io.sekisho.policy.HostName;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The system resolver ({@link InetAddress#getAllByName}, which honours /etc/hosts and the JVM's
 * DNS cache) on a small bounded pool of its own: the call blocks, so it must stay off the event
 * loops. When the queue is full the lookup fails at once instead of piling up.
 */
public final class ExecutorHostResolver implements HostResolver, AutoCloseable {
    private final ThreadPoolExecutor executor;

    public ExecutorHostResolver(int threads, int queueCapacity) {
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, "sekisho-dns-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.executor.allowCoreThreadTimeOut(true);
    }

    @Override
    public CompletableFuture<List<InetAddress>> resolve(HostName host) {
        if (host.isIpLiteral()) {
            return CompletableFuture.completedFuture(List.of(host.literalAddress()));
        }
        try {
            return CompletableFuture.supplyAsync(() -> lookup(host.value()), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new UnknownHostException("resolver busy: " + host.value()));
        }
    }

    private static List<InetAddress> lookup(String name) {
        try {
            return List.of(InetAddress.getAllByName(name));
        } catch (UnknownHostException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
