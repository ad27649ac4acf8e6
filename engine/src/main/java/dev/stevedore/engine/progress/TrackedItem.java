package dev.stevedore.engine.progress;

import dev.stevedore.spi.Bytes;
import dev.stevedore.spi.Progress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** One item of a {@link ProgressTracker}: its counters, added to the batch's as they move. */
final class TrackedItem implements Progress.Item {

    private final ProgressTracker batch;
    private final String name;
    private final long total;
    private final long startNanos;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong transferred = new AtomicLong();
    private final AtomicBoolean finished = new AtomicBoolean();

    TrackedItem(ProgressTracker batch, String name, long total, long startNanos) {
        this.batch = batch;
        this.name = name;
        this.total = total;
        this.startNanos = startNanos;
    }

    @Override
    public void transferred(long bytes) {
        transferred.addAndGet(bytes);
        done.addAndGet(bytes);
        batch.moved(bytes, bytes);
    }

    @Override
    public void skipped(long bytes) {
        done.addAndGet(bytes);
        batch.moved(bytes, 0);
    }

    /** Only the first call counts: a failure path may finish an item that a success path already did. */
    @Override
    public void finish(String outcome) {
        if (finished.compareAndSet(false, true)) {
            batch.finished(this, outcome);
        }
    }

    ProgressSnapshot.InFlight state() {
        return new ProgressSnapshot.InFlight(name, done.get(), total);
    }

    /** The line kept for a finished item, on a terminal and in logs alike; {@code moved} says what its bytes went through. */
    String finishedLine(String outcome, String moved, long nowNanos) {
        long bytes = transferred.get();
        double seconds = (nowNanos - startNanos) / 1e9;
        String rate = seconds <= 0 || bytes == 0 ? "" : " (" + Bytes.format((long) (bytes / seconds)) + "/s)";
        return name + ": " + outcome + ", " + Bytes.format(bytes) + " " + moved + rate;
    }
}
