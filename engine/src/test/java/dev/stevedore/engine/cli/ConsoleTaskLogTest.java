package dev.stevedore.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.spi.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConsoleTaskLogTest {

    private static final String ESC = "\u001b[";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong();
    private final ManualPacer pacer = new ManualPacer();

    /** A pacer the test ticks by hand. */
    private static final class ManualPacer implements Pacer {
        final AtomicReference<Runnable> redraw = new AtomicReference<>();
        boolean stopped;

        @Override
        public AutoCloseable start(Runnable task) {
            redraw.set(task);
            stopped = false;
            return () -> stopped = true;
        }

        void tick() {
            redraw.get().run();
        }
    }

    private String printed() {
        String text = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return text;
    }

    private final AtomicReference<ScreenSize> size = new AtomicReference<>();

    private ConsoleTaskLog terminal(int columns, int rows) {
        size.set(new ScreenSize(columns, rows));
        return ConsoleTaskLog.live(out, 0, size::get, pacer, clock::get);
    }

    @Test
    void withoutATerminalEachFinishedItemPrintsOneLineAndNothingElse() {
        ConsoleTaskLog log = ConsoleTaskLog.plain(out, 0, clock::get);
        Progress batch = log.progress("pull images", 2, 3 * 1024 * 1024);
        Progress.Item nginx = batch.start("nginx:1.27 -> /srv/images", 2 * 1024 * 1024);
        clock.addAndGet(1_000_000_000L);
        nginx.transferred(1024 * 1024);
        nginx.skipped(1024 * 1024);
        nginx.finish("copied");
        Progress.Item redis = batch.start("redis:7 -> /srv/images", 1024 * 1024);
        redis.skipped(1024 * 1024);
        redis.finish("up to date");
        batch.close();
        log.endTask();
        assertEquals("  nginx:1.27 -> /srv/images: copied, 1.0 MiB transferred (1.0 MiB/s)\n"
                + "  redis:7 -> /srv/images: up to date, 0 B transferred\n", printed());
        assertNull(pacer.redraw.get(), "no redraws where there is no terminal");
    }

    @Test
    void aBatchWhoseBytesAreReadSaysSoInItsFinishedLines() {
        ConsoleTaskLog log = ConsoleTaskLog.plain(out, 0, clock::get);
        Progress batch = log.progress("verify", 1, 0, "hashed");
        batch.sized(2 * 1024 * 1024);
        Progress.Item blobs = batch.start("the 3 blobs of images directory /srv/images", 2 * 1024 * 1024);
        clock.addAndGet(2_000_000_000L);
        blobs.transferred(2 * 1024 * 1024);
        blobs.finish("intact");
        batch.close();
        assertEquals("  the 3 blobs of images directory /srv/images: intact, 2.0 MiB hashed (1.0 MiB/s)\n", printed());
    }

    @Test
    void aCommandsLogWithoutATerminalShowsNoProgressAndItsMessagesOnStandardError() {
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        ConsoleTaskLog log = ConsoleTaskLog.withoutProgress(err, 0);
        Progress batch = log.progress("verify", 1, 1024, "hashed");
        Progress.Item item = batch.start("the blob of images directory /srv/images", 1024);
        item.transferred(1024);
        item.finish("intact");
        batch.close();
        log.warn("careful");
        log.info("hidden");
        assertEquals("", printed());
        assertEquals("  warning: careful\n", errBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void verbosityDecidesWhichMessagesShow() {
        ConsoleTaskLog.plain(out, 0, clock::get).info("hidden");
        ConsoleTaskLog.plain(out, 0, clock::get).warn("always");
        ConsoleTaskLog.plain(out, 1, clock::get).info("with -v");
        ConsoleTaskLog.plain(out, 1, clock::get).debug("hidden too");
        ConsoleTaskLog.plain(out, 2, clock::get).debug("with -vv");
        assertEquals("  warning: always\n  with -v\n  debug: with -vv\n", printed());
    }

    @Test
    void withoutATerminalWarningsGoToTheirOwnStreamAtTheDefaultLevel() {
        java.io.ByteArrayOutputStream errBytes = new java.io.ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, java.nio.charset.StandardCharsets.UTF_8);
        ConsoleTaskLog log = ConsoleTaskLog.plain(out, err, 0, clock::get);
        log.warn("registry r:5000: connection refused, attempt 2 of 5 in 0.4 s");
        log.info("hidden");
        assertEquals("", printed());
        assertEquals("  warning: registry r:5000: connection refused, attempt 2 of 5 in 0.4 s\n", errBytes.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void onATerminalTheOverallLineAndTheItemsInFlightAreRedrawnInPlace() {
        ConsoleTaskLog log = terminal(80, 24);
        Progress batch = log.progress("pull images", 2, 2048);
        assertNotNull(pacer.redraw.get());
        pacer.tick();
        assertEquals("\r  pull images: 0/2 done, 0 B / 2.0 KiB, --/s, ETA --" + ESC + "K\n" + ESC + "J", printed());

        Progress.Item nginx = batch.start("nginx", 1024);
        clock.addAndGet(1_000_000_000L);
        nginx.transferred(512);
        pacer.tick();
        assertEquals("\r" + ESC + "1A"
                + "  pull images: 0/2 done, 512 B / 2.0 KiB, 512 B/s, ETA 3s" + ESC + "K\n"
                + "    nginx  512 B / 1.0 KiB  50%" + ESC + "K\n" + ESC + "J", printed());
    }

    @Test
    void aFinishedItemsLineWaitsForTheNextRedrawAndStaysAboveTheBlock() {
        ConsoleTaskLog log = terminal(80, 24);
        Progress batch = log.progress("push images", 1, 10);
        pacer.tick();
        printed();
        Progress.Item item = batch.start("a", 10);
        item.transferred(10);
        item.finish("copied");
        log.warn("careful");
        assertEquals("", printed(), "nothing is written between two redraws");
        pacer.tick();
        assertEquals("\r" + ESC + "1A"
                + "  a: copied, 10 B transferred" + ESC + "K\n"
                + "  warning: careful" + ESC + "K\n"
                + "  push images: 1/1 done, 10 B / 10 B, --/s, ETA 0s" + ESC + "K\n" + ESC + "J", printed());
    }

    @Test
    void closingTheBatchRemovesTheBlockAndStopsRedrawing() {
        ConsoleTaskLog log = terminal(80, 24);
        Progress batch = log.progress("pull images", 1, 10);
        batch.start("a", 10).transferred(3);
        pacer.tick();
        printed();
        batch.close();
        assertTrue(pacer.stopped);
        assertEquals("\r" + ESC + "2A" + ESC + "J", printed(), "back to the block's first line, and everything below erased");
        pacer.tick();
        log.info("hidden at level 0");
        log.warn("after");
        assertEquals("  warning: after\n", printed(), "a late tick draws nothing; lines print at once again");
    }

    @Test
    void endingTheTaskRemovesABlockTheModuleLeftOpen() {
        ConsoleTaskLog log = terminal(80, 24);
        log.progress("pull images", 1, 10);
        pacer.tick();
        printed();
        log.endTask();
        assertEquals("\r" + ESC + "1A" + ESC + "J", printed());
        assertTrue(pacer.stopped);
    }

    @Test
    void everyLineOfTheBlockIsShorterThanTheTerminalIsWide() {
        ConsoleTaskLog log = terminal(40, 24);
        Progress batch = log.progress("pull images", 1, 1024 * 1024);
        batch.start("registry.example.com/library/nginx:1.27 -> /srv/bundle/images", 1024 * 1024).transferred(1024);
        pacer.tick();
        for (String line : printed().split("\n")) {
            String visible = line.replace("\r", "").replaceAll("\u001b\\[\\d*[A-Z]", "");
            assertTrue(visible.length() < 40, "'" + visible + "' is " + visible.length() + " wide");
        }
    }

    @Test
    void aLineWithANewlineErasesTheRestOfEachOfItsScreenLines() {
        ConsoleTaskLog log = terminal(80, 24);
        log.progress("pull images", 1, 10);
        pacer.tick();
        printed();
        log.warn("one\ntwo");
        pacer.tick();
        String screen = printed();
        assertTrue(screen.startsWith("\r" + ESC + "1A  warning: one" + ESC + "K\ntwo" + ESC + "K\n"), screen);
        assertFalse(screen.contains("one\n"), screen);
    }

    @Test
    void afterTheTerminalNarrowedTheCursorGoesBackOverEveryRowTheOldBlockWrappedInto() {
        ConsoleTaskLog log = terminal(80, 24);
        Progress batch = log.progress("pull images", 1, 10);
        batch.start("x".repeat(50), 10).transferred(3);
        pacer.tick();
        String first = printed();
        assertTrue(first.contains("x".repeat(50)), first);
        size.set(new ScreenSize(40, 24));
        pacer.tick();
        assertTrue(printed().startsWith("\r" + ESC + "4A"), "two old lines of 49 and 71 characters are two rows each at 40 columns");
        pacer.tick();
        assertTrue(printed().startsWith("\r" + ESC + "2A"), "lines drawn for 40 columns are one row each");
    }
}
