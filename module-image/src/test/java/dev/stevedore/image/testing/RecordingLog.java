package dev.stevedore.image.testing;

import dev.stevedore.spi.Progress;
import dev.stevedore.spi.TaskLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A task log that keeps every line and every progress report, for assertions on warnings and progress. */
public final class RecordingLog implements TaskLog {

    /**
     * A batch as the module opened it, with what it sized item by item since ({@link Progress#sized}).
     *
     * @param bytes the bytes it was opened with plus every sized item's
     * @param sized how many items were sized
     * @param moved what its finished lines call an item's bytes ({@code transferred}, {@code hashed})
     * @param closed whether the module closed it
     */
    public record Batch(String label, int items, long bytes, int sized, String moved, boolean closed) { }

    /** A batch being reported into. */
    private static final class OpenBatch {
        final String label;
        final int items;
        final AtomicLong bytes;
        final AtomicLong sized = new AtomicLong();
        final String moved;
        volatile boolean closed;

        OpenBatch(String label, int items, long bytes, String moved) {
            this.label = label;
            this.items = items;
            this.bytes = new AtomicLong(bytes);
            this.moved = moved;
        }

        Batch now() {
            return new Batch(label, items, bytes.get(), (int) sized.get(), moved, closed);
        }
    }

    /** An item as it finished, with what it reported. */
    public record Finished(String name, String outcome, long transferred, long skipped) { }

    private final List<String> warnings = new ArrayList<>();
    private final List<String> infos = new ArrayList<>();
    private final List<OpenBatch> batches = new ArrayList<>();
    private final List<String> started = new ArrayList<>();
    private final List<Finished> finished = new ArrayList<>();

    @Override public synchronized void debug(String message) { }
    @Override public synchronized void info(String message) { infos.add(message); }
    @Override public synchronized void warn(String message) { warnings.add(message); }

    @Override
    public Progress progress(String label, int items, long bytes) {
        return progress(label, items, bytes, "transferred");
    }

    @Override
    public synchronized Progress progress(String label, int items, long bytes, String moved) {
        OpenBatch batch = new OpenBatch(label, items, bytes, moved);
        batches.add(batch);
        return new Progress() {
            @Override
            public void sized(long itemBytes) {
                batch.bytes.addAndGet(itemBytes);
                batch.sized.incrementAndGet();
            }

            @Override
            public Item start(String name, long total) {
                synchronized (RecordingLog.this) {
                    started.add(name);
                }
                AtomicLong transferred = new AtomicLong();
                AtomicLong skipped = new AtomicLong();
                return new Item() {
                    @Override public void transferred(long bytes) { transferred.addAndGet(bytes); }
                    @Override public void skipped(long bytes) { skipped.addAndGet(bytes); }
                    @Override
                    public void finish(String outcome) {
                        synchronized (RecordingLog.this) {
                            finished.add(new Finished(name, outcome, transferred.get(), skipped.get()));
                        }
                    }
                };
            }

            @Override
            public void close() {
                batch.closed = true;
            }
        };
    }

    public synchronized List<String> warnings() { return List.copyOf(warnings); }
    public synchronized List<String> infos() { return List.copyOf(infos); }
    public synchronized List<Batch> batches() { return batches.stream().map(OpenBatch::now).toList(); }
    public synchronized List<String> started() { return List.copyOf(started); }
    public synchronized List<Finished> finished() { return List.copyOf(finished); }
}
