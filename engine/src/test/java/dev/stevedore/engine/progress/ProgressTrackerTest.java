package dev.stevedore.engine.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.spi.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(7 * SECOND);
    private final List<String> finished = new ArrayList<>();
    private final ProgressTracker tracker = new ProgressTracker("pull images", 3, 3000, "transferred", clock::get, finished::add,
            () -> { });

    @Test
    void countsItemsAndBytesAcrossTheBatch() {
        Progress.Item a = tracker.start("a", 1000);
        Progress.Item b = tracker.start("b", 2000);
        a.transferred(400);
        b.skipped(2000);
        b.finish("up to date");
        ProgressSnapshot snapshot = tracker.snapshot();
        assertEquals(1, snapshot.itemsDone());
        assertEquals(3, snapshot.itemsTotal());
        assertEquals(2400, snapshot.bytesDone());
        assertEquals(List.of(new ProgressSnapshot.InFlight("a", 400, 1000)), snapshot.inFlight());
    }

    @Test
    void aBatchSizedItemByItemEstimatesItsBytesFromTheItemsSizedSoFar() {
        ProgressTracker growing = new ProgressTracker("pull images", 4, 0, "transferred", clock::get, finished::add, () -> { });
        assertEquals(0, growing.snapshot().bytesTotal());
        growing.sized(1000);
        assertEquals(4000, growing.snapshot().bytesTotal(), "three more items like the one sized");
        assertTrue(growing.snapshot().estimated());
        growing.sized(3000);
        assertEquals(8000, growing.snapshot().bytesTotal());
        growing.sized(0);
        growing.sized(500);
        assertEquals(4500, growing.snapshot().bytesTotal(), "every item sized: their sum");
        assertFalse(growing.snapshot().estimated());
        assertFalse(tracker.snapshot().estimated(), "a batch opened with all its bytes");
    }

    @Test
    void theRateCountsBytesMovedNotBytesSkipped() {
        Progress.Item a = tracker.start("a", 3000);
        clock.addAndGet(2 * SECOND);
        a.transferred(1000);
        a.skipped(1000);
        ProgressSnapshot snapshot = tracker.snapshot();
        assertEquals(500.0, snapshot.rate(), 0.001);
        assertEquals(2, snapshot.etaSeconds(), "1000 bytes left at 500 B/s");
    }

    @Test
    void theRateFollowsTheLastSecondsOnly() {
        Progress.Item a = tracker.start("a", 3000);
        clock.addAndGet(SECOND);
        a.transferred(2000);
        tracker.snapshot();
        for (int i = 0; i < 10; i++) {
            clock.addAndGet(SECOND);
            a.transferred(10);
            tracker.snapshot();
        }
        assertEquals(10.0, tracker.snapshot().rate(), 0.001, "the fast first second has left the window");
    }

    @Test
    void aFinishedItemLeavesOneLineWithWhatItMovedAndHowFast() {
        Progress.Item a = tracker.start("nginx -> /d", 3000);
        clock.addAndGet(2 * SECOND);
        a.transferred(2048);
        a.finish("copied");
        a.finish("failed");
        assertEquals(List.of("nginx -> /d: copied, 2.0 KiB transferred (1.0 KiB/s)"), finished);
        assertEquals(1, tracker.snapshot().itemsDone(), "an item finishes once");
    }

    @Test
    void anUnknownRateGivesNoEta() {
        assertEquals(-1, tracker.snapshot().etaSeconds());
    }
}
