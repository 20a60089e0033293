package io.sekisho.proxy.channel;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.sekisho.policy.Nullable;
import java.util.concurrent.TimeUnit;

/**
 * A timeout that is armed and disarmed on every request but rarely expires: at most one task is
 * scheduled per owner, disarming only clears a flag, and a task that fires before the current
 * deadline schedules itself again for the rest. Scheduling and cancelling a task per request
 * costs a priority-queue insert and removal plus two allocations each time; this costs a clock
 * read. (Netty's IdleStateHandler re-arms lazily in the same way.) Confined to {@code executor}.
 */
public final class LazyDeadline implements Runnable {
    private final EventExecutor executor;
    private final Runnable onExpiry;
    private boolean armed;
    private long deadlineNanos;
    private @Nullable ScheduledFuture<?> task;
    /** When {@link #task} fires: a deadline earlier than this (a shorter timeout after a reload) needs a new task. */
    private long taskNanos;

    /** @param onExpiry runs on {@code executor} when the armed deadline passes */
    public LazyDeadline(EventExecutor executor, Runnable onExpiry) {
        this.executor = executor;
        this.onExpiry = onExpiry;
    }

    /** Expires {@code timeoutMillis} (at least 1) from now, unless disarmed or armed again first. */
    public void arm(long timeoutMillis) {
        long timeout = TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeoutMillis));
        long now = System.nanoTime();
        armed = true;
        deadlineNanos = now + timeout;
        if (task != null && deadlineNanos - taskNanos < 0) {
            task.cancel(false);
            task = null;
        }
        if (task == null) {
            schedule(now, timeout);
        }
    }

    /** The awaited event happened: the deadline no longer applies (its task, if any, lapses when it fires). */
    public void disarm() {
        armed = false;
    }

    public boolean armed() {
        return armed;
    }

    /** Disarms and drops the scheduled task (the owner goes away). */
    public void cancel() {
        armed = false;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    @Override
    public void run() {
        task = null;
        if (!armed) {
            return;
        }
        long now = System.nanoTime();
        long left = deadlineNanos - now;
        if (left > 0) {
            schedule(now, left);
            return;
        }
        armed = false;
        onExpiry.run();
    }

    private void schedule(long now, long delayNanos) {
        taskNanos = now + delayNanos;
        task = executor.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }
}
