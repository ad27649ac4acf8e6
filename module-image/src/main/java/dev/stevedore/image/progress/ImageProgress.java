package dev.stevedore.image.progress;

import dev.stevedore.spi.Progress;

/**
 * The progress of one image within its copy's batch. Every blob transfer of the image reports into it,
 * and the image starts in the batch (shows as in flight) with the first report or {@link #begin()}, not
 * when it is queued: a copy queues all its images at once, and the display is about what moves.
 * Thread-safe.
 */
public final class ImageProgress {

    private final Progress batch;
    private final String name;
    private final long total;
    private volatile Progress.Item item;

    /**
     * @param name  what the image is, e.g. {@code docker.io/library/nginx:latest -> oci://...}
     * @param total the bytes of all blobs of the image
     */
    public ImageProgress(Progress batch, String name, long total) {
        this.batch = batch;
        this.name = name;
        this.total = total;
    }

    /** Work on the image has begun (one of its blob transfers is running). */
    public void begin() {
        item();
    }

    /** Bytes streamed to the destination. */
    public void transferred(long bytes) {
        item().transferred(bytes);
    }

    /** Bytes that needed no transfer (present, or mounted). */
    public void skipped(long bytes) {
        item().skipped(bytes);
    }

    /** The image is done: {@code copied}, {@code up to date}, {@code failed}. */
    public void finish(String outcome) {
        item().finish(outcome);
    }

    private Progress.Item item() {
        Progress.Item started = item;
        if (started == null) {
            synchronized (this) {
                started = item;
                if (started == null) {
                    started = batch.start(name, total);
                    item = started;
                }
            }
        }
        return started;
    }
}
