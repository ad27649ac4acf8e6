package dev.stevedore.engine.progress;

import java.util.List;

/**
 * What a batch's progress is at one moment, for drawing.
 *
 * @param label       what the batch is ({@code pull images})
 * @param bytesTotal  the batch's bytes, estimated while some items are not sized yet
 * @param rate        bytes per second over the last seconds, or -1 while unknown
 * @param inFlight    the items started and not finished, oldest first
 * @param estimated   {@code bytesTotal} is an estimate ({@link dev.stevedore.spi.Progress#sized})
 */
public record ProgressSnapshot(String label, int itemsDone, int itemsTotal, long bytesDone, long bytesTotal,
                               double rate, List<InFlight> inFlight, boolean estimated) {

    /** One item in flight: its name and bytes done of its total. */
    public record InFlight(String name, long bytesDone, long bytesTotal) {
    }

    public ProgressSnapshot {
        inFlight = List.copyOf(inFlight);
    }

    /** A batch whose bytes are all known. */
    public ProgressSnapshot(String label, int itemsDone, int itemsTotal, long bytesDone, long bytesTotal, double rate,
                            List<InFlight> inFlight) {
        this(label, itemsDone, itemsTotal, bytesDone, bytesTotal, rate, inFlight, false);
    }

    /** Seconds until the batch is done at the current rate, or -1 when that cannot be told. */
    public long etaSeconds() {
        long left = Math.max(0, bytesTotal - bytesDone);
        if (left == 0) {
            return 0;
        }
        return rate > 0 ? (long) Math.ceil(left / rate) : -1;
    }
}
