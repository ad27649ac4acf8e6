package dev.stevedore.engine.progress;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A transfer rate over the last few seconds: the bytes between the oldest sample still in the window and
 * the newest, over the time between them. Early on the window reaches back to the start, so the first
 * figures are the average so far; later a slow start or a stall no longer drags the rate (and the ETA
 * from it) for the rest of a long run. Not thread-safe: one redraw thread samples it.
 */
final class RateWindow {

    static final long WINDOW_NANOS = 5_000_000_000L;

    private record Sample(long nanos, long bytes) { }

    private final Deque<Sample> samples = new ArrayDeque<>();

    RateWindow(long startNanos) {
        samples.add(new Sample(startNanos, 0));
    }

    /** Records that {@code bytes} had moved in all at {@code nanos}; returns bytes per second, or -1 while unknown. */
    double sample(long nanos, long bytes) {
        samples.addLast(new Sample(nanos, bytes));
        // Keep one sample at or before the window's start, so the window always spans WINDOW_NANOS once it can.
        while (samples.size() > 2 && nanos - secondOldest().nanos() >= WINDOW_NANOS) {
            samples.removeFirst();
        }
        Sample oldest = samples.getFirst();
        long span = nanos - oldest.nanos();
        return span <= 0 ? -1 : (bytes - oldest.bytes()) * 1e9 / span;
    }

    private Sample secondOldest() {
        var iterator = samples.iterator();
        iterator.next();
        return iterator.next();
    }
}
