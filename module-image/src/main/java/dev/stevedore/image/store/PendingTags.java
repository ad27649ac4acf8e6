package dev.stevedore.image.store;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.ImageReference;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The tags an OCI layout was given that its {@code index.json} may not hold yet. The index names every image,
 * so each write is of the whole file: writing it for each tag made a pull of N images write about N²/2
 * entries (3 GB at 5,000 images) and spend a third of its CPU serializing them. The index is written instead
 * at the first tag, then at the first tag after {@link #INTERVAL} has passed since the last write, and at the
 * store's close, each time with every tag that waited; a tag that arrives during a write waits for the next.
 *
 * <p>What the layout's readers see: the store itself answers with its pending tags at once; another process
 * sees them at the next write, within about a second while tags arrive and at the latest when the copy closes
 * the store, before the task reports. A run killed in between leaves the manifests and blobs of the images
 * whose tags were pending, and a re-run tags them without fetching a blob.
 */
final class PendingTags {

    /** While tags arrive, one write of the index a second at most, besides the one at close; before, one a tag. */
    static final Duration INTERVAL = Duration.ofSeconds(1);

    /** Writes the index with each name pointed at its descriptor, in the map's order. */
    @FunctionalInterface
    interface IndexWriter {
        void write(Map<ImageReference, Descriptor> names) throws IOException;
    }

    private final IndexWriter writer;
    private final LongSupplier nanoTime;
    private final long intervalNanos;
    private final Map<ImageReference, Descriptor> pending = new LinkedHashMap<>(); // guarded by this
    private final ReentrantLock writing = new ReentrantLock();
    private volatile boolean written;
    private volatile long lastWrite;

    PendingTags(IndexWriter writer) {
        this(writer, System::nanoTime, INTERVAL);
    }

    PendingTags(IndexWriter writer, LongSupplier nanoTime, Duration interval) {
        this.writer = writer;
        this.nanoTime = nanoTime;
        this.intervalNanos = interval.toNanos();
    }

    /** Records {@code name} (a retag moves it last, as in the index), and writes the index if a write is due. */
    void add(ImageReference name, Descriptor descriptor) throws IOException {
        synchronized (this) {
            pending.remove(name);
            pending.put(name, descriptor);
        }
        boolean due = !written || nanoTime.getAsLong() - lastWrite >= intervalNanos;
        if (due && writing.tryLock()) {
            try {
                writePending();
            } finally {
                writing.unlock();
            }
        }
    }

    /** The descriptor {@code name} was last tagged with here and the index may not hold yet. */
    synchronized Optional<Descriptor> get(ImageReference name) {
        return Optional.ofNullable(pending.get(name));
    }

    /** The names tagged here that the index may not hold yet. */
    synchronized Set<ImageReference> names() {
        return Set.copyOf(pending.keySet());
    }

    /** Writes every pending tag, after any write under way: what a store's close does. */
    void writeAll() throws IOException {
        writing.lock();
        try {
            writePending();
        } finally {
            writing.unlock();
        }
    }

    /** Holding {@link #writing}. A tag stays pending until a write holding it is in place, so readers never miss it. */
    private void writePending() throws IOException {
        Map<ImageReference, Descriptor> batch;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            batch = new LinkedHashMap<>(pending);
        }
        writer.write(batch);
        lastWrite = nanoTime.getAsLong();
        written = true;
        synchronized (this) {
            batch.forEach(pending::remove); // only where no later tag of the name replaced it meanwhile
        }
    }
}
