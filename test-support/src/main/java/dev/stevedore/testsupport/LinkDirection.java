package dev.stevedore.testsupport;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One direction of a simulated link: the bottleneck all connections' bytes in this direction pass, one
 * after the other in the order they come (a router's first-in, first-out queue), each taking its size over
 * the rate, then the one-way delay to reach the far end.
 *
 * <p>The link is a clock of when it will have sent everything queued so far, not a bucket of tokens: a
 * token bucket that fills while the link is idle lets a burst through above the rate, which no wire does.
 * Sleeping late does not cost the link time either, as long as the queue is not empty: a sender is held
 * back only while more than {@link #queueNanos} of work is ahead of it, so a thread woken some
 * milliseconds late still finds the link busy. That wait stands for a full router queue and TCP's flow
 * control: the sender is slowed, never dropped.
 */
final class LinkDirection {
    /** The most one connection reads and queues at once. */
    static final int SEGMENT_BYTES = 64 * 1024;
    private static final long MIN_QUEUE_NANOS = 10_000_000;

    private final long bytesPerSecond;
    private final long delayNanos;
    private final long queueNanos;
    private final AtomicLong bytes = new AtomicLong();
    private long freeAt = System.nanoTime();

    LinkDirection(LinkProfile profile) {
        this.bytesPerSecond = profile.bytesPerSecond();
        this.delayNanos = profile.oneWay().toNanos();
        // At least two segments fit, so one sender can always queue its next while the last is sent.
        this.queueNanos = Math.max(MIN_QUEUE_NANOS, profile.transmission(2L * SEGMENT_BYTES).toNanos());
    }

    /**
     * Queues {@code n} bytes, first waiting while the queue is full, and returns the {@link System#nanoTime()}
     * at which their last byte reaches the far end. Zero bytes (an end of stream) take no time of the link
     * but still arrive after everything queued before them.
     */
    long send(int n) throws InterruptedException {
        while (true) {
            long now = System.nanoTime();
            long wait;
            synchronized (this) {
                long ahead = freeAt - now;
                if (n == 0 || ahead <= queueNanos) {
                    long start = ahead > 0 ? freeAt : now;
                    freeAt = start + n * 1_000_000_000L / bytesPerSecond;
                    bytes.addAndGet(n);
                    return freeAt + delayNanos;
                }
                wait = ahead - queueNanos;
            }
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                throw new InterruptedException("the link is closing");
            }
        }
    }

    /** Bytes this direction has carried (queued) so far. */
    long bytes() {
        return bytes.get();
    }

    /** Blocks until {@link System#nanoTime()} reaches {@code deadline}. */
    static void awaitNanoTime(long deadline) throws InterruptedException {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException("the link is closing");
            }
        }
    }
}
