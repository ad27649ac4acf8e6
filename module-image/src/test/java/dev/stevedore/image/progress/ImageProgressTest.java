package dev.stevedore.image.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.testing.RecordingLog;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ImageProgressTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RecordingLog log = new RecordingLog();
    private final ImageProgress progress = new ImageProgress(log, "key", "nginx -> harbor", 4 * 1024 * 1024, now::get);

    @Test
    void linesShowBytesDoneOfTotalAndTheRate() {
        now.addAndGet(1_000_000_000L);
        progress.transferred(1024 * 1024);
        assertEquals("nginx -> harbor: 1.0 MiB / 4.0 MiB (1.0 MiB/s)", log.progress().get(0).line());
    }

    @Test
    void linesAreThrottledWhileRunningButTheFinalLineIsAlwaysSent() {
        progress.transferred(10);
        progress.transferred(10);
        progress.skipped(10);
        assertEquals(1, log.progress().size(), "updates within 250 ms are merged");
        now.addAndGet(ImageProgress.INTERVAL_NANOS);
        progress.transferred(10);
        assertEquals(2, log.progress().size());
        assertEquals("nginx -> harbor: 40 B / 4.0 MiB (120 B/s)", log.progress().get(1).line());
        progress.finish("copied");
        RecordingLog.ProgressLine last = log.progress().get(2);
        assertTrue(last.done());
        assertTrue(last.line().startsWith("nginx -> harbor: copied, 30 B transferred"), last.line());
    }

    @Test
    void bytesAreFormattedForOperators() {
        assertEquals("512 B", Bytes.format(512));
        assertEquals("1.5 KiB", Bytes.format(1536));
        assertEquals("2.0 GiB", Bytes.format(2L * 1024 * 1024 * 1024));
    }
}
