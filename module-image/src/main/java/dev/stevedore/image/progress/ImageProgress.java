package dev.stevedore.image.progress;

import dev.stevedore.spi.TaskLog;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The live progress line of one image: bytes done of the total, and the transfer rate. Lines go to
 * {@link TaskLog#progress}, at most every {@link #INTERVAL_NANOS} while running (redrawing a terminal
 * line faster helps nobody), and once more when the image is done. Thread-safe: every blob transfer of
 * the image reports into it.
 */
public final class ImageProgress {

    static final long INTERVAL_NANOS = 250_000_000L;

    private final TaskLog log;
    private final String key;
    private final String label;
    private final long total;
    private final LongSupplier clock;
    private final long start;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong transferred = new AtomicLong();
    private final AtomicLong lastEmit;

    /**
     * @param key   identifies the line (one per image)
     * @param label what the line is about, e.g. {@code docker.io/library/nginx:latest -> oci://...}
     * @param total the bytes of all blobs of the image
     * @param clock {@link System#nanoTime} in production, a fake in tests
     */
    public ImageProgress(TaskLog log, String key, String label, long total, LongSupplier clock) {
        this.log = log;
        this.key = key;
        this.label = label;
        this.total = total;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastEmit = new AtomicLong(start - INTERVAL_NANOS);
    }

    /** Bytes streamed to the destination. */
    public void transferred(long bytes) {
        transferred.addAndGet(bytes);
        done.addAndGet(bytes);
        maybeEmit();
    }

    /** Bytes that needed no transfer (present, or mounted). */
    public void skipped(long bytes) {
        done.addAndGet(bytes);
        maybeEmit();
    }

    /** Emits the final line of the image. */
    public void finish(String outcome) {
        log.progress(key, label + ": " + outcome + ", " + Bytes.format(transferred.get()) + " transferred"
                + rate(), true);
    }

    private void maybeEmit() {
        long now = clock.getAsLong();
        long last = lastEmit.get();
        if (now - last >= INTERVAL_NANOS && lastEmit.compareAndSet(last, now)) {
            log.progress(key, label + ": " + Bytes.format(done.get()) + " / " + Bytes.format(total) + rate(), false);
        }
    }

    private String rate() {
        double seconds = (clock.getAsLong() - start) / 1e9;
        if (seconds <= 0 || transferred.get() == 0) {
            return "";
        }
        return " (" + Bytes.format((long) (transferred.get() / seconds)) + "/s)";
    }
}
