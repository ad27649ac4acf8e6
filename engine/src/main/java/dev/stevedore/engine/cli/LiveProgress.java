package dev.stevedore.engine.cli;

import dev.stevedore.engine.progress.ProgressLines;
import dev.stevedore.engine.progress.ProgressTracker;
import java.util.function.Supplier;

/**
 * A batch's progress drawn live at the bottom of the terminal: redrawn at the {@link Pacer}'s pace from
 * a snapshot of the tracker, sized to the terminal as it is at that moment, and removed when the batch
 * closes.
 */
final class LiveProgress {

    private final LiveArea area;
    private final Supplier<ScreenSize> size;
    private ProgressTracker tracker;
    private AutoCloseable pace;
    private boolean closed;

    LiveProgress(LiveArea area, Supplier<ScreenSize> size) {
        this.area = area;
        this.size = size;
    }

    synchronized void start(ProgressTracker shown, Pacer pacer) {
        this.tracker = shown;
        this.pace = pacer.start(this::redraw);
    }

    /** Draws the block once; called by the pacer's thread. */
    synchronized void redraw() {
        if (closed || tracker == null) {
            return;
        }
        ScreenSize screen = size.get();
        // One row stays free below the block: the cursor sits there between redraws.
        area.show(ProgressLines.render(tracker.snapshot(), screen.columns(), Math.max(screen.rows() - 1, 1)), screen.columns());
    }

    /** Stops redrawing and removes the block; the lines of finished items stay. */
    void close() {
        AutoCloseable stop;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stop = pace;
        }
        try {
            if (stop != null) {
                stop.close();
            }
        } catch (Exception e) {
            // Stopping a timer does not fail; and a redraw after this point returns at once.
        }
        area.clear();
    }
}
