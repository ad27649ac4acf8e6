package dev.stevedore.engine.progress;

import dev.stevedore.spi.Progress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps the counts of one batch as its module reports them, and hands out snapshots to draw. Counting is
 * a few atomic additions per read of a transfer; everything costlier (rates, ETA, formatting) happens when
 * a snapshot is taken, at most as often as the screen is redrawn.
 */
public final class ProgressTracker implements Progress {

    private final String label;
    private final int itemsTotal;
    private final AtomicLong bytesKnown;
    private final AtomicInteger itemsSized = new AtomicInteger();
    private final LongSupplier clock;
    private final Consumer<String> finishedLines;
    private final String moved;
    private final Runnable onClose;
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong bytesTransferred = new AtomicLong();
    private final AtomicInteger itemsDone = new AtomicInteger();
    private final Set<TrackedItem> inFlight = new LinkedHashSet<>();
    private final RateWindow rate;

    /**
     * @param finishedLines receives the line of each finished item ({@code name: copied, 3.0 MiB transferred (1.0 MiB/s)})
     * @param onClose       runs once when the module closes the batch
     * @param clock         {@link System#nanoTime} outside tests
     * @param moved         the word the finished lines use for an item's bytes ({@code transferred}, {@code hashed})
     */
    public ProgressTracker(String label, int itemsTotal, long bytesTotal, String moved, LongSupplier clock,
                           Consumer<String> finishedLines, Runnable onClose) {
        this.label = label;
        this.moved = moved;
        this.itemsTotal = itemsTotal;
        this.bytesKnown = new AtomicLong(bytesTotal);
        this.clock = clock;
        this.finishedLines = finishedLines;
        this.onClose = onClose;
        this.rate = new RateWindow(clock.getAsLong());
    }

    @Override
    public Item start(String name, long bytes) {
        TrackedItem item = new TrackedItem(this, name, bytes, clock.getAsLong());
        synchronized (inFlight) {
            inFlight.add(item);
        }
        return item;
    }

    @Override
    public void sized(long bytes) {
        bytesKnown.addAndGet(bytes);
        itemsSized.incrementAndGet();
    }

    @Override
    public void close() {
        onClose.run();
    }

    /** The counts now; takes a rate sample, so one caller (the redraw) should take them. */
    public ProgressSnapshot snapshot() {
        List<ProgressSnapshot.InFlight> items = new ArrayList<>();
        synchronized (inFlight) {
            for (TrackedItem item : inFlight) {
                items.add(item.state());
            }
        }
        double bytesPerSecond;
        synchronized (rate) {
            bytesPerSecond = rate.sample(clock.getAsLong(), bytesTransferred.get());
        }
        int sized = itemsSized.get(); // read once: the total and whether it is an estimate agree
        boolean estimated = sized > 0 && sized < itemsTotal;
        return new ProgressSnapshot(label, itemsDone.get(), itemsTotal, bytesDone.get(), bytesTotal(sized, estimated),
                bytesPerSecond, items, estimated);
    }

    /**
     * The batch's bytes: all of them once every item is sized (or when none is sized item by item); until
     * then the items not yet sized are taken to be as large as the sized ones on average.
     */
    private long bytesTotal(int sized, boolean estimated) {
        long known = bytesKnown.get();
        return estimated ? Math.max(known, Math.round((double) known / sized * itemsTotal)) : known;
    }

    void moved(long done, long transferred) {
        bytesDone.addAndGet(done);
        bytesTransferred.addAndGet(transferred);
    }

    void finished(TrackedItem item, String outcome) {
        synchronized (inFlight) {
            inFlight.remove(item);
        }
        itemsDone.incrementAndGet();
        finishedLines.accept(item.finishedLine(outcome, moved, clock.getAsLong()));
    }
}
